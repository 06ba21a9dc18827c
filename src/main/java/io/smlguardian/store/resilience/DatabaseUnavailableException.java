package io.smlguardian.store.resilience;

/**
 * The database could not be used: unreachable, its connection lost, or no pooled connection free
 * within the pool's wait. The API answers 503 with {@code Retry-After}; the {@link DatabaseGuard}'s
 * circuit breaker counts it as a failure.
 *
 * <p>This kind is not retried by the service: whether the work took effect is not known (a commit
 * whose outcome the database did not report, or a store without transactions).
 */
public class DatabaseUnavailableException extends RuntimeException {

  public DatabaseUnavailableException(Throwable cause) {
    super("The database is unavailable: " + cause, cause);
  }

  /**
   * The database failed transiently before anything was committed (the transaction rolled back, or
   * the work only read): the service may try the whole call again.
   */
  public static class RolledBack extends DatabaseUnavailableException {

    public RolledBack(Throwable cause) {
      super(cause);
    }
  }
}
