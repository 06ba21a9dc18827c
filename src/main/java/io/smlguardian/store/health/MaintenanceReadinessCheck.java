package io.smlguardian.store.health;

import io.smlguardian.store.resilience.Maintenance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while this instance is in {@link Maintenance} (a restore's switch on MongoDB, and the
 * completion of one that failed midway, which may last until an operator fixes the database): reads
 * of records and writes answer 503 then. The answer is anonymous, so it carries the status only;
 * why, for operators, is in {@code /api/status} ({@code maintenance}) and in the log.
 */
@Readiness
@ApplicationScoped
public class MaintenanceReadinessCheck implements HealthCheck {

  @Inject Maintenance maintenance;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("maintenance").status(!maintenance.active()).build();
  }
}
