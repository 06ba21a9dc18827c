package io.smlguardian.store.accesslog;

/**
 * An access could not be recorded in the audit trail, so it is not answered: no access goes
 * unrecorded. The API answers 503; the caller may retry.
 */
public class AuditUnavailableException extends RuntimeException {

  public AuditUnavailableException(Throwable cause) {
    super("The access could not be recorded in the audit trail", cause);
  }
}
