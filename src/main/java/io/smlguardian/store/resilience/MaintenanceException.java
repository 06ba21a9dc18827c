package io.smlguardian.store.resilience;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.OptionalLong;

/**
 * A write refused during {@link Maintenance}: nothing was changed; the API answers 503 with {@code
 * Retry-After}. A refusal, not a failure: it leaves its transaction without an FFDC incident.
 */
public class MaintenanceException extends Refusal {

  private static final long serialVersionUID = 1L;

  public MaintenanceException(String operation, String reason) {
    super(
        Status.SERVICE_UNAVAILABLE,
        "The service is in maintenance ("
            + reason
            + "): "
            + operation
            + " is refused and nothing was changed. Retry after "
            + Maintenance.RETRY_AFTER_SECONDS
            + " s.");
  }

  @Override
  public OptionalLong retryAfterSeconds() {
    return OptionalLong.of(Maintenance.RETRY_AFTER_SECONDS);
  }
}
