package io.smlguardian.store.problem;

import java.util.logging.Level;

/**
 * The service cannot do what was asked now, for a reason of the moment rather than of the request:
 * the database or the audit trail unavailable, the ingest journal full. Each feature's kind extends
 * this class and says what to tell the caller and when to retry; the API answers it as 503
 * problem+json with {@code Retry-After} ({@code ProblemExceptionMapper}), without knowing the
 * feature.
 */
public abstract class Unavailable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected Unavailable(String message) {
    super(message);
  }

  protected Unavailable(String message, Throwable cause) {
    super(message, cause);
  }

  /** After how many seconds a retry may succeed: the answer's {@code Retry-After}. */
  public abstract long retryAfterSeconds();

  /** What the answer tells the caller: by default the message. */
  public String detail() {
    return getMessage();
  }

  /**
   * How the server logs it when it answers it, or null for not at all: an unavailability the
   * operators should see is logged, one that only asks the caller to wait (a full queue) is not.
   */
  public Level logLevel() {
    return null;
  }
}
