package io.smlguardian.store.retention;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;

/**
 * A run cannot be started, stopped or restarted as asked: a refusal the API answers with its status
 * (409 for a clash with the run's state, 404 for a run that does not exist).
 */
public class RetentionRunException extends Refusal {

  private static final long serialVersionUID = 1L;

  private RetentionRunException(Status status, String message) {
    super(status, message);
  }

  /** The request clashes with the run's state (one already running, not running, completed). */
  public static RetentionRunException conflict(String message) {
    return new RetentionRunException(Status.CONFLICT, message);
  }

  /** There is no such run of the retention job. */
  public static RetentionRunException notFound(long executionId) {
    return new RetentionRunException(
        Status.NOT_FOUND, "No retention run has execution id " + executionId + ".");
  }
}
