package io.smlguardian.store.resilience;

/** A write refused during {@link Maintenance}: nothing was changed; the API answers 503. */
public class MaintenanceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MaintenanceException(String operation, String reason) {
    super(
        "The service is in maintenance ("
            + reason
            + "): "
            + operation
            + " is refused and nothing was changed. Retry after "
            + Maintenance.RETRY_AFTER_SECONDS
            + " s.");
  }
}
