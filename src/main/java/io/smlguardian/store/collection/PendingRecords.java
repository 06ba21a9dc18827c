package io.smlguardian.store.collection;

import java.util.Optional;
import java.util.UUID;

/**
 * Records this instance acknowledged (the write-behind ingest's journal) and has not yet written to
 * the store: a read by id that the store does not answer looks here, so that a client finds what it
 * was told was accepted. Another instance's journal is not looked at: there, a record shows once
 * flushed.
 */
public interface PendingRecords {

  /**
   * The record of this id waiting in the journal, in its stored form, its protected fields sealed
   * as {@link #protection()} opens them; empty when there is none, or when its owner was erased
   * after it was journaled (it will never be stored). Called within the reading transaction.
   */
  <E extends StoredRecord> Optional<E> find(CollectionDescriptor<E> collection, UUID id);

  /** What opens the protected fields of a pending record. */
  FieldProtection protection();
}
