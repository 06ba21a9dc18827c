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
 * mode), and this check's data says how many wait for the database ({@code pendingWrites}) and
 * whether the last flush failed ({@code flushFailing}). That, beside the {@code database} check
 * down, is the degraded state. Only counts are shown: the answer is anonymous.
 */
@Readiness
@ApplicationScoped
public class IngestReadinessCheck implements HealthCheck {

  @Inject IngestSync sync;

  @Override
  public HealthCheckResponse call() {
    IngestSync.Status status = sync.status();
    return HealthCheckResponse.named("ingest-journal")
        .status(sync.replayed())
        .withData("pendingWrites", status.pendingWrites())
        .withData("flushFailing", status.lastError() != null)
        .build();
  }
}
