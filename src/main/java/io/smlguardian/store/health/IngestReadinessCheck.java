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
 */
@Readiness
@ApplicationScoped
public class IngestReadinessCheck implements HealthCheck {

  @Inject IngestSync sync;

  @Override
  public HealthCheckResponse call() {
    return sync.replayed()
        ? HealthCheckResponse.up("ingest-journal")
        : HealthCheckResponse.down("ingest-journal");
  }
}
