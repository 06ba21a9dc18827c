package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import java.util.Set;

/**
 * Records accesses in the audit trail, durably before the access is answered: a write's entries in
 * the write's own transaction (a write that rolls back leaves no entry, and an entry never goes
 * missing for one that committed), a read's once its reading transaction has ended. The kernel
 * calls it; the audit trail implements it.
 */
public interface AccessRecorder {

  /**
   * Records one access.
   *
   * @param caller who accessed
   * @param collection where
   * @param operation read, query, count, insert, update or delete
   * @param owners whose data: one entry is written per owner; none means the store's own
   */
  void accessed(
      Caller caller, CollectionDescriptor<?> collection, String operation, Set<String> owners);
}
