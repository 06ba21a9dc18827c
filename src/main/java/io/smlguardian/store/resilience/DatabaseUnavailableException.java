package io.smlguardian.store.resilience;

import io.smlguardian.store.problem.Unavailable;
import java.util.logging.Level;

/**
 * The database could not be used: unreachable, its connection lost, or no pooled connection free
 * within the pool's wait. The API answers 503 with {@code Retry-After} the circuit breaker's delay;
 * the {@link DatabaseGuard}'s circuit breaker counts it as a failure.
 *
 * <p>This kind is not retried by the service: whether the work took effect is not known (a commit
 * whose outcome the database did not report, or a store without transactions).
 */
public class DatabaseUnavailableException extends Unavailable {

  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(Throwable cause) {
    super("The database is unavailable: " + cause, cause);
  }

  @Override
  public long retryAfterSeconds() {
    return DatabaseGuard.retryAfterSeconds();
  }

  @Override
  public String detail() {
    return "The database is unavailable"
        + (outcomeKnown()
            ? "; nothing was changed."
            : "; whether the change took effect is unknown: read before retrying.")
        + " Retry after "
        + retryAfterSeconds()
        + " s.";
  }

  @Override
  public Level logLevel() {
    return Level.WARNING;
  }

  /** Whether nothing can have been committed. */
  boolean outcomeKnown() {
    return false;
  }

  /**
   * The database failed transiently before anything was committed (the transaction rolled back, or
   * the work only read): the service may try the whole call again.
   */
  public static class RolledBack extends DatabaseUnavailableException {

    private static final long serialVersionUID = 1L;

    public RolledBack(Throwable cause) {
      super(cause);
    }

    @Override
    boolean outcomeKnown() {
      return true;
    }
  }

  /**
   * The circuit breaker is open after repeated failures: the call was refused before it reached the
   * database, so nothing was changed.
   */
  static class CircuitOpen extends DatabaseUnavailableException {

    private static final long serialVersionUID = 1L;

    CircuitOpen(Throwable cause) {
      super(cause);
    }

    @Override
    public String detail() {
      return "The database is unavailable (calls to it are paused after repeated failures);"
          + " nothing was changed. Retry after "
          + retryAfterSeconds()
          + " s.";
    }

    /** Fine: the failures that opened it were logged already. */
    @Override
    public Level logLevel() {
      return Level.FINE;
    }
  }
}
