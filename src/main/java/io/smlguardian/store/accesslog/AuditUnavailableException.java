package io.smlguardian.store.accesslog;

import io.smlguardian.store.problem.Unavailable;
import java.util.logging.Level;

/**
 * An access could not be recorded in the audit trail, so it is not answered: no access goes
 * unrecorded. The API answers 503; the caller may retry.
 */
public class AuditUnavailableException extends Unavailable {

  private static final long serialVersionUID = 1L;

  public AuditUnavailableException(Throwable cause) {
    super("The access could not be recorded in the audit trail", cause);
  }

  @Override
  public long retryAfterSeconds() {
    return 1;
  }

  @Override
  public String detail() {
    return "The access could not be recorded in the audit trail, so it was not carried out or"
        + " answered; retry shortly.";
  }

  /** Severe: no access may go unrecorded, and now one could not be recorded. */
  @Override
  public Level logLevel() {
    return Level.SEVERE;
  }
}
