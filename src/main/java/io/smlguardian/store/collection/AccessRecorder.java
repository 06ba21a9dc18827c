package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import java.util.Set;

/**
 * Records accesses to user data in the audit trail, within the transaction of the access itself: an
 * access that rolls back leaves no entry, and an entry never goes missing for one that committed.
 * The kernel calls it; the audit trail implements it.
 */
public interface AccessRecorder {

  /**
   * Records one access.
   *
   * @param caller who accessed
   * @param collection where
   * @param operation read, query, insert, update or delete
   * @param owners whose data: one entry is written per owner
   */
  void accessed(
      Caller caller, CollectionDescriptor<?> collection, String operation, Set<String> owners);
}
