package io.smlguardian.store.jpa;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Semaphore;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Per-user locks held until the caller's JTA transaction completes, for a database that only this
 * JVM uses (H2 in memory), where the database itself offers no lock on a key that has no row. Users
 * share a fixed number of stripes: two users may wait for each other, never one for itself (a
 * transaction that holds a stripe does not take it again). Each transaction takes one user's lock
 * at most, so no two wait for each other in a cycle.
 */
final class UserLocks {

  private static final int STRIPES = 64;

  private final Semaphore[] stripes = new Semaphore[STRIPES];

  UserLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Semaphore(1);
    }
  }

  /** A stable 64-bit key of the user (the first bytes of a SHA-256), for PostgreSQL's locks. */
  static long key(String userId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("guardian-store/user/" + userId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(hash).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the user's stripe, and releases it when the caller's transaction completes. */
  void lock(String userId) {
    TransactionSynchronizationRegistry transaction = transaction();
    if (transaction.getTransactionStatus() != Status.STATUS_ACTIVE) {
      throw new IllegalStateException("a user's lock needs an active transaction");
    }
    int index = Math.floorMod(userId.hashCode(), STRIPES);
    String resource = "guardian-user-lock/" + index;
    if (transaction.getResource(resource) != null) {
      return; // this transaction holds it already
    }
    Semaphore stripe = stripes[index];
    stripe.acquireUninterruptibly();
    try {
      transaction.putResource(resource, Boolean.TRUE);
      transaction.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              stripe.release();
            }
          });
    } catch (RuntimeException e) {
      stripe.release();
      throw e;
    }
  }

  private static TransactionSynchronizationRegistry transaction() {
    try {
      return InitialContext.doLookup("java:comp/TransactionSynchronizationRegistry");
    } catch (NamingException e) {
      throw new IllegalStateException("no transaction registry: " + e.getMessage(), e);
    }
  }
}
