package io.smlguardian.store.jpa;

import io.smlguardian.store.collection.MeasuredStore;
import io.smlguardian.store.collection.UserLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.persistence.EntityManager;
import javax.sql.DataSource;

/**
 * The store on H2 in the server's memory ({@code DB_BACKEND=memory}): a database of this server
 * alone, empty at each start, so a reset loses nothing a restart would keep. H2 takes no {@code ON
 * CONFLICT}, and offers no lock on a key that has no row: the users' locks are this JVM's.
 *
 * <p>Typed to its class alone: the backend selection ({@code StoreSelection}) offers it under the
 * store's roles when {@code DB_BACKEND=memory}.
 */
@ApplicationScoped
@Typed(H2RecordStore.class)
@MeasuredStore
public class H2RecordStore extends JpaRecordStore {

  /**
   * One set of locks for the application: the bean is application-scoped, so every transaction of
   * the server waits on the same locks.
   */
  private final UserLocks userLocks = new UserLocks();

  protected H2RecordStore() {}

  public H2RecordStore(EntityManager em, DataSource dataSource) {
    super(em, dataSource);
  }

  /** The name users configure ({@code DB_BACKEND=memory}), in problems, status and metrics. */
  @Override
  public String backend() {
    return "memory";
  }

  /** A lock of this JVM, released when the transaction completes. */
  @Override
  public void lockUser(String userId) {
    userLocks.lock(userId);
  }

  @Override
  public boolean resettable() {
    return true;
  }

  @Override
  protected boolean insertsOnConflict() {
    return false;
  }
}
