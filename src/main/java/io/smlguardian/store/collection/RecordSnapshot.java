package io.smlguardian.store.collection;

import java.io.IOException;

/**
 * One read of whole collections, as {@link RecordStore#openSnapshot()} opens it: a backup reads
 * every collection through it, one after the other, and the backend keeps them consistent with each
 * other where it can (one repeatable-read transaction on a relational database).
 */
public interface RecordSnapshot extends AutoCloseable {

  /** Receives the records of a collection one at a time. */
  @FunctionalInterface
  interface RecordConsumer<E> {
    void accept(E record) throws IOException;
  }

  /**
   * Hands every record of the collection to the consumer, in no particular order, holding only a
   * bounded number of them in memory at a time.
   *
   * @throws IOException what the consumer threw; the read stops there
   */
  <E extends StoredRecord> void read(
      CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer) throws IOException;

  /** Ends the read (and its transaction, if any). */
  @Override
  void close();
}
