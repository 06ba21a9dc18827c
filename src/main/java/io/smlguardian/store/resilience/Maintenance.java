package io.smlguardian.store.resilience;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A short window in which this instance takes no writes: a restore on a backend without
 * transactions (MongoDB) switches its staged records in under it, collection after collection, and
 * a write in between would land in a store that is half old, half restored, and a read would see it
 * so. While it lasts, every write of the API and every read of records answers 503 with {@code
 * Retry-After} (see {@link MaintenanceException}), and erasure and the retention purge are refused;
 * status, health and the jobs' progress go on.
 *
 * <p>It holds on this instance only: instances that share a MongoDB database are each to be kept
 * from writing by the operator (see docs/backup-and-restore.md).
 */
@ApplicationScoped
public class Maintenance {

  private static final Logger LOG = Logger.getLogger(Maintenance.class.getName());

  /** What callers are told to wait before retrying: a switch takes seconds. */
  public static final int RETRY_AFTER_SECONDS = 5;

  private final AtomicReference<String> reason = new AtomicReference<>();

  /** Runs the work in maintenance, which ends with it however it ends. One window at a time. */
  public <T> T during(String why, Callable<T> work) throws Exception {
    if (!reason.compareAndSet(null, why)) {
      throw new IllegalStateException("already in maintenance: " + reason.get());
    }
    LOG.info(() -> "Maintenance begins (" + why + "): writes are refused until it ends");
    try {
      return work.call();
    } finally {
      reason.set(null);
      LOG.info(() -> "Maintenance ends (" + why + ")");
    }
  }

  /** Whether writes are refused now. */
  public boolean active() {
    return reason.get() != null;
  }

  /**
   * Refuses the operation while in maintenance.
   *
   * @param operation what was asked, for the answer (e.g. "erasure")
   * @throws MaintenanceException while in maintenance
   */
  public void refuseDuring(String operation) {
    String why = reason.get();
    if (why != null) {
      throw new MaintenanceException(operation, why);
    }
  }
}
