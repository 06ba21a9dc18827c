package io.smlguardian.store.ops;

import io.smlguardian.store.backup.BackupJobs;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.ReadCache;
import io.smlguardian.store.collection.StoreInfo;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.retention.RetentionService;
import io.smlguardian.store.retention.batch.PurgeJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gathers the status: what the store reports per collection (exact counts, the oldest record on the
 * time index, the backend's own size figure), retention's due counts, the pool's figures and the
 * job repository's latest backup and purge. Reads only, in one transaction: outside one, each
 * connection the request takes stays with it until the request ends (Liberty's local transaction
 * containment), and on SQLite, whose pool has one connection, the next part would then wait for the
 * connection its own request holds.
 */
@ApplicationScoped
@DatabaseBoundary
public class StoreStatusService {

  @Inject CollectionRegistry collections;
  @Inject BulkStore bulk;
  @Inject StoreInfo info;
  @Inject RetentionService retention;
  @Inject JobExecutions jobs;
  @Inject ReadCache readCache;
  @Inject Maintenance maintenance;

  /**
   * The status now. When the backend cannot be reached, the answer says so and has no collection
   * figures, rather than failing: that is when operators need it most.
   */
  @Transactional // see the class comment: one connection for the whole request
  public StoreStatus status(Instant asOf) {
    ConnectionStatus connection = connection();
    List<CollectionStatus> figures = connection.reachable() ? collectionFigures(asOf) : List.of();
    return StoreStatus.of(
        asOf,
        info.backend(),
        maintenance.reason().orElse(null),
        connection,
        figures,
        jobs.latest(BackupJobs.BACKUP),
        jobs.latest(PurgeJob.NAME),
        readCache.figures());
  }

  private List<CollectionStatus> collectionFigures(Instant asOf) {
    Map<String, RetentionService.PolicyStatus> policies =
        retention.status(asOf).stream()
            .collect(Collectors.toMap(p -> p.policy().collection(), Function.identity()));
    List<CollectionStatus> figures = new ArrayList<>();
    for (CollectionDescriptor<?> collection : collections.all()) {
      RetentionService.PolicyStatus policy = policies.get(collection.name());
      figures.add(
          CollectionStatus.of(
              collection.name(),
              bulk.count(collection, List.of(), TimeKeyRange.ALL),
              info.storageSize(collection),
              collection.timeField(),
              bulk.timeKeyAt(collection, List.of(), null, 1).map(TimeKey::time).orElse(null),
              policy.policy().period().toString(),
              policy.cutoff(),
              policy.due()));
    }
    return figures;
  }

  private ConnectionStatus connection() {
    long start = System.nanoTime();
    String error = null;
    try {
      info.ping();
    } catch (RuntimeException e) {
      error = e.getMessage();
    }
    long latencyMs = (System.nanoTime() - start) / 1_000_000;
    StoreInfo.ConnectionPoolFigures pool = info.connectionPool().orElse(null);
    StoreInfo.StoreConnection where = new StoreInfo.StoreConnection(null, null, null);
    if (error == null) {
      try {
        where = info.connection();
      } catch (RuntimeException e) {
        error = e.getMessage();
      }
    }
    return new ConnectionStatus(
        where.url() == null ? null : ConnectionUrls.redact(where.url()),
        where.user(),
        where.database(),
        error == null,
        latencyMs,
        error,
        pool);
  }
}
