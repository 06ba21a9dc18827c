package io.smlguardian.store.backend;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.RecordQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Times every operation of the store it wraps, in one MicroProfile Metrics timer per backend,
 * collection and operation ({@value #TIMER}, in Prometheus {@code
 * guardian_store_operation_seconds}), whether the operation succeeds or throws. This is the one
 * place store latency is measured: neither the stores nor their callers time anything themselves.
 *
 * <p>Each call looks its timer up in the registry (a map lookup) rather than keeping it: the
 * application registry is shared by every application on the server, and when another copy of this
 * WAR is undeployed (the in-container tests deploy one) the server removes the timers both used; a
 * kept timer would then count where no scrape sees it.
 */
public class MeasuredRecordStore implements RecordStore, AutoCloseable {

  /** The timer's name in the application registry. */
  public static final String TIMER = "guardian.store.operation";

  private static final Metadata METADATA =
      Metadata.builder()
          .withName(TIMER)
          .withDescription(
              "Time the store's backend took for one operation, by backend, collection and"
                  + " operation")
          .withUnit(MetricUnits.SECONDS)
          .build();

  private final RecordStore store;
  private final MetricRegistry registry;
  private final Tag backend;

  public MeasuredRecordStore(RecordStore store, MetricRegistry registry) {
    this.store = store;
    this.registry = registry;
    this.backend = new Tag("backend", store.backend());
  }

  @Override
  public <E extends StoredRecord> void insert(CollectionDescriptor<E> collection, List<E> records) {
    timed(collection, "insert", () -> store.insert(collection, records));
  }

  @Override
  public <E extends StoredRecord> Optional<E> findById(
      CollectionDescriptor<E> collection, UUID id) {
    return timed(collection, "findById", () -> store.findById(collection, id));
  }

  @Override
  public Map<UUID, RecordCache.Stamp> stamps(
      CollectionDescriptor<?> collection, Collection<UUID> ids) {
    return timed(collection, "stamps", () -> store.stamps(collection, ids));
  }

  @Override
  public <E extends StoredRecord> Optional<E> findForUpdate(
      CollectionDescriptor<E> collection, UUID id) {
    return timed(collection, "findForUpdate", () -> store.findForUpdate(collection, id));
  }

  @Override
  public <E extends StoredRecord> List<E> find(
      CollectionDescriptor<E> collection, RecordQuery query) {
    return timed(collection, "find", () -> store.find(collection, query));
  }

  @Override
  public long count(CollectionDescriptor<?> collection, List<Filter> filters) {
    return timed(collection, "count", () -> store.count(collection, filters));
  }

  @Override
  public long count(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    return timed(collection, "count", () -> store.count(collection, filters, range));
  }

  @Override
  public <E extends StoredRecord> void update(CollectionDescriptor<E> collection, E record) {
    timed(collection, "update", () -> store.update(collection, record));
  }

  @Override
  public <E extends StoredRecord> void delete(CollectionDescriptor<E> collection, E record) {
    timed(collection, "delete", () -> store.delete(collection, record));
  }

  @Override
  public long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters) {
    return timed(collection, "deleteMatching", () -> store.deleteMatching(collection, filters));
  }

  @Override
  public long deleteMatching(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range) {
    return timed(
        collection, "deleteMatching", () -> store.deleteMatching(collection, filters, range));
  }

  @Override
  public Optional<TimeKey> timeKeyAt(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKey after, int position) {
    return timed(
        collection, "timeKeyAt", () -> store.timeKeyAt(collection, filters, after, position));
  }

  @Override
  public void lockUser(String userId) {
    store.lockUser(userId);
  }

  @Override
  public void lockUsers(java.util.Collection<String> userIds) {
    store.lockUsers(userIds);
  }

  @Override
  public <E extends StoredRecord> long insertIfAbsent(
      CollectionDescriptor<E> collection, List<E> records) {
    return timed(collection, "insertIfAbsent", () -> store.insertIfAbsent(collection, records));
  }

  /** Not timed per call: the backup job reports its own duration and counts. */
  @Override
  public RecordSnapshot openSnapshot() {
    return store.openSnapshot();
  }

  @Override
  public <E extends StoredRecord> void restore(
      CollectionDescriptor<E> collection, List<E> records) {
    timed(collection, "restore", () -> store.restore(collection, records));
  }

  @Override
  public void clearStaging(CollectionDescriptor<?> collection) {
    timed(collection, "clearStaging", () -> store.clearStaging(collection));
  }

  @Override
  public <E extends StoredRecord> void stage(CollectionDescriptor<E> collection, List<E> records) {
    timed(collection, "stage", () -> store.stage(collection, records));
  }

  @Override
  public long dropStagedErased(
      CollectionDescriptor<?> collection, CollectionDescriptor<?> erasures) {
    return timed(
        collection, "dropStagedErased", () -> store.dropStagedErased(collection, erasures));
  }

  @Override
  public long switchStaged(CollectionDescriptor<?> collection, boolean replace, Instant keepSince) {
    return timed(
        collection, "switchStaged", () -> store.switchStaged(collection, replace, keepSince));
  }

  @Override
  public void lockCollection(CollectionDescriptor<?> collection, boolean exclusive) {
    timed(collection, "lock", () -> store.lockCollection(collection, exclusive));
  }

  /** Not timed: operators' status asks for it, the request path never does. */
  @Override
  public StorageSize storageSize(CollectionDescriptor<?> collection) {
    return store.storageSize(collection);
  }

  @Override
  public boolean supportsAtomicWrites() {
    return store.supportsAtomicWrites();
  }

  @Override
  public boolean supportsNestedTransactions() {
    return store.supportsNestedTransactions();
  }

  @Override
  public boolean ephemeral() {
    return store.ephemeral();
  }

  @Override
  public String backend() {
    return store.backend();
  }

  /** Not timed: the readiness check reports its own latency. */
  @Override
  public void ping() {
    store.ping();
  }

  @Override
  public void close() throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private void timed(CollectionDescriptor<?> collection, String operation, Runnable action) {
    timed(
        collection,
        operation,
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T timed(CollectionDescriptor<?> collection, String operation, Supplier<T> action) {
    long start = System.nanoTime();
    try {
      return action.get();
    } finally {
      timer(collection.name(), operation).update(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Timer timer(String collection, String operation) {
    return registry.timer(
        METADATA, backend, new Tag("collection", collection), new Tag("operation", operation));
  }
}
