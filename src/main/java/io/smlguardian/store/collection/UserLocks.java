package io.smlguardian.store.collection;

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
 * Per-user locks of this JVM, held until the caller's JTA transaction completes, for a store whose
 * database offers no lock on a key that has no row: H2 in memory (a database of this JVM alone),
 * and MongoDB without transactions (where they hold on this instance only). Users share a fixed
 * number of stripes: two users may wait for each other, never one for itself (a transaction that
 * holds a stripe does not take it again). A transaction that takes several takes them in the
 * stripes' order ({@link #lockAll}), so no two wait for each other in a cycle.
 */
public final class UserLocks {

  private static final int STRIPES = 64;

  private final Semaphore[] stripes = new Semaphore[STRIPES];

  public UserLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Semaphore(1);
    }
  }

  /** A stable 64-bit key of the user (the first bytes of a SHA-256), for PostgreSQL's locks. */
  public static long key(String userId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(("guardian-store/user/" + userId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(hash).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The users' locks ({@link #lock}), in the order of their stripes. */
  public void lockAll(java.util.Collection<String> userIds) {
    userIds.stream()
        .sorted(java.util.Comparator.comparingInt(UserLocks::stripe))
        .forEachOrdered(this::lock);
  }

  private static int stripe(String userId) {
    return Math.floorMod(userId.hashCode(), STRIPES);
  }

  /** Waits for the user's stripe, and releases it when the caller's transaction completes. */
  public void lock(String userId) {
    TransactionSynchronizationRegistry transaction = transaction();
    if (transaction.getTransactionStatus() != Status.STATUS_ACTIVE) {
      throw new IllegalStateException("a user's lock needs an active transaction");
    }
    int index = stripe(userId);
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
