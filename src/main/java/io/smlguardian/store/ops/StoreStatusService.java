package io.smlguardian.store.ops;

import com.mongodb.ConnectionString;
import io.smlguardian.store.backend.Backend;
import io.smlguardian.store.backend.BackendConfig;
import io.smlguardian.store.backup.BackupJobs;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.ReadCache;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.retention.RetentionService;
import io.smlguardian.store.retention.batch.PurgeJob;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

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
  @Inject RecordStore store;
  @Inject RetentionService retention;
  @Inject BackendConfig backend;
  @Inject ConnectionPools pools;
  @Inject BatchJobs jobs;
  @Inject ReadCache readCache;

  @Resource(lookup = "jdbc/guardian")
  DataSource dataSource;

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
        backend.backend().configName(),
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
              store.count(collection, List.of()),
              store.storageSize(collection),
              collection.timeField(),
              store.timeKeyAt(collection, List.of(), null, 1).map(TimeKey::time).orElse(null),
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
      store.ping();
    } catch (RuntimeException e) {
      error = e.getMessage();
    }
    long latencyMs = (System.nanoTime() - start) / 1_000_000;
    var pool = pools.current().orElse(null);
    if (backend.backend() == Backend.MONGODB) {
      ConnectionString uri = new ConnectionString(backend.mongoUri());
      return new ConnectionStatus(
          ConnectionUrls.redact(backend.mongoUri()),
          uri.getUsername(),
          uri.getDatabase(),
          error == null,
          latencyMs,
          error,
          pool);
    }
    String url = null;
    String user = null;
    String database = null;
    if (error == null) {
      try (Connection connection = dataSource.getConnection()) {
        DatabaseMetaData metadata = connection.getMetaData();
        url = ConnectionUrls.redact(metadata.getURL());
        user = metadata.getUserName();
        database = metadata.getDatabaseProductName() + " " + metadata.getDatabaseProductVersion();
      } catch (SQLException e) {
        error = e.getMessage();
      }
    }
    return new ConnectionStatus(url, user, database, error == null, latencyMs, error, pool);
  }
}
