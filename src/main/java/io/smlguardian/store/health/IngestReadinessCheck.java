package io.smlguardian.store.health;

import io.smlguardian.store.sync.IngestSync;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the ingest journal's unflushed part found at start (records this instance acknowledged
 * before it stopped) has been written to the store: until then a read could miss them.
 *
 * <p>Afterwards it stays up while the database is down: ingest still accepts records then (offline
 * mode). That, beside the {@code database} check down, is the degraded state. How many records wait
 * for the database is for operators, in the metrics ({@code IngestMetrics}): health answers are
 * anonymous and carry a status only.
 */
@Readiness
@ApplicationScoped
public class IngestReadinessCheck implements HealthCheck {

  @Inject IngestSync sync;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("ingest-journal").status(sync.replayed()).build();
  }
}
