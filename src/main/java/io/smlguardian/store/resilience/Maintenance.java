package io.smlguardian.store.resilience;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A window in which this instance takes no writes: a restore on a backend without transactions
 * (MongoDB) switches its staged records in under it, collection after collection, and a write in
 * between would land in a store that is half old, half restored, and a read would see it so. While
 * it lasts, every write of the API and every read of records answers 503 with {@code Retry-After}
 * (see {@link MaintenanceException}), erasure and the retention purge are refused, and the service
 * is not ready; status, health and the jobs' progress go on.
 *
 * <p>It usually lasts as long as one piece of work ({@link #during}); a switch that fails midway
 * keeps it ({@link #hold}) until the switch is completed, which may take longer than the request
 * that began it.
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

  /**
   * Begins maintenance, which lasts until the hold is closed. One window at a time.
   *
   * @throws IllegalStateException when this instance is in maintenance already
   */
  public Hold hold(String why) {
    if (!reason.compareAndSet(null, why)) {
      throw new IllegalStateException("already in maintenance: " + reason.get());
    }
    LOG.info(() -> "Maintenance begins (" + why + "): writes are refused until it ends");
    return new Hold();
  }

  /** Runs the work in maintenance, which ends with it however it ends. */
  public <T> T during(String why, Callable<T> work) throws Exception {
    try (Hold held = hold(why)) {
      return work.call();
    }
  }

  /** Whether writes are refused now. */
  public boolean active() {
    return reason.get() != null;
  }

  /** Why this instance is in maintenance; empty when it is not. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason.get());
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

  /** Maintenance held: it ends when this is closed (once; closing again does nothing). */
  public final class Hold implements AutoCloseable {

    private final AtomicBoolean open = new AtomicBoolean(true);

    private Hold() {}

    /** Says from now on why the instance is in maintenance (in refusals and status). */
    public void because(String why) {
      if (open.get()) {
        reason.set(why);
        LOG.info(() -> "Maintenance goes on: " + why);
      }
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        String why = reason.getAndSet(null);
        LOG.info(() -> "Maintenance ends (" + why + ")");
      }
    }
  }
}
