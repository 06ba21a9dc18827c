package io.smlguardian.store.sync;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The ingest's backlog as metrics ({@code guardian_ingest_pending_writes}, {@code
 * guardian_ingest_flush_failing}), for operators during a database outage: the sync status endpoint
 * cannot answer then (its audit entry goes to the database), and the health checks, which anyone
 * may read, carry a status only. Metrics are served to operators over HTTPS and read nothing
 * stored.
 */
@ApplicationScoped
public class IngestMetrics {

  public static final String PENDING_WRITES = "guardian.ingest.pending.writes";
  public static final String FLUSH_FAILING = "guardian.ingest.flush.failing";

  @Inject IngestSync sync;
  @Inject MetricRegistry registry;

  /** Registers the gauges once the journal is open (IngestSync starts at the priority before). */
  void register(@Observes @Priority(Interceptor.Priority.APPLICATION + 1001) Startup startup) {
    registry.gauge(
        Metadata.builder()
            .withName(PENDING_WRITES)
            .withDescription(
                "Records this instance's ingest acknowledged that are not yet in the database")
            .build(),
        sync,
        ingest -> ingest.status().pendingWrites());
    registry.gauge(
        Metadata.builder()
            .withName(FLUSH_FAILING)
            .withDescription("1 while the ingest's last flush failed, else 0")
            .build(),
        sync,
        ingest -> ingest.status().lastError() == null ? 0 : 1);
  }
}
