package io.smlguardian.store.retention;

/** A run cannot be started, stopped or restarted as asked; {@link #conflict()} says why. */
public class RetentionRunException extends RuntimeException {

  private final boolean conflict;

  private RetentionRunException(String message, boolean conflict) {
    super(message);
    this.conflict = conflict;
  }

  /** The request clashes with the run's state (one already running, not running, completed). */
  public static RetentionRunException conflict(String message) {
    return new RetentionRunException(message, true);
  }

  /** There is no such run of the retention job. */
  public static RetentionRunException notFound(long executionId) {
    return new RetentionRunException(
        "No retention run has execution id " + executionId + ".", false);
  }

  public boolean conflict() {
    return conflict;
  }
}
