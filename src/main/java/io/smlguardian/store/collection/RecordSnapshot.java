package io.smlguardian.store.collection;

import java.io.IOException;

/**
 * One read of whole collections, as {@link BulkStore#openSnapshot()} opens it: a backup reads every
 * collection through it, one after the other, an export every record of one user, and the backend
 * keeps them consistent with each other where it can (one repeatable-read transaction on a
 * relational database).
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

  /**
   * Hands every record of one user in an owned collection to the consumer, in id order, holding
   * only a bounded number of them in memory at a time: what an export reads. Backends answer it
   * with one query over the owner's index; this default reads the whole collection and keeps the
   * user's (in no particular order).
   *
   * @throws IOException what the consumer threw; the read stops there
   */
  default <E extends StoredRecord> void readOwnedBy(
      CollectionDescriptor<E> collection, String userId, RecordConsumer<? super E> consumer)
      throws IOException {
    read(
        collection,
        record -> {
          if (record instanceof OwnedRecord owned && owned.owners().contains(userId)) {
            consumer.accept(record);
          }
        });
  }

  /** Ends the read (and its transaction, if any). */
  @Override
  void close();
}
