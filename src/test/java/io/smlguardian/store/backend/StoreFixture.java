package io.smlguardian.store.backend;

import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.collection.RecordStore;
import java.util.function.Supplier;

/**
 * One backend for the store contract ({@link RecordStoreContract}): its database started and
 * migrated as the server would do it, and stores on it constructed as the server constructs them.
 */
interface StoreFixture extends AutoCloseable {

  /** The backend, as {@code DB_BACKEND} names it. */
  Backend backend();

  /**
   * A caller of the store with transactions of its own (as one request thread in the server): two
   * clients can hold a transaction open at once.
   */
  Client client();

  /** Empties every collection and staging copy, before each test. */
  void wipe();

  /**
   * Whether another transaction now waits for a user's lock (see {@link RecordStore#lockUser}), as
   * the backend can tell; false where the store takes no such lock.
   */
  boolean someoneAwaitsAUserLock(Thread waiter);

  @Override
  void close();

  /** A store and the transactions its calls run in, as the service's transaction boundary. */
  interface Client {

    BackendStore store();

    /**
     * Runs the work in a transaction of this client (where the backend has them), committed when
     * the work returns unless it was marked for rollback, rolled back when it throws.
     */
    <T> T inTransaction(Supplier<T> work);

    default void inTransaction(Runnable work) {
      inTransaction(
          () -> {
            work.run();
            return null;
          });
    }
  }
}
