package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The seed's collection operations (insertOne, insertMany, findById, findMany, updateOne,
 * deleteOne, count) for every collection, each in one container-managed transaction: its own, or,
 * for a single insert and a read by id, the audit trail's shared one with other requests. Called
 * within a caller's transaction (the atomic endpoint), they join it.
 *
 * <p>Every operation is done for a {@link Caller} and within what its roles allow (see {@link
 * CollectionAccess}): a user's queries are confined to their own records, whatever they filter on.
 *
 * <p>Versions make writes safe under concurrency: an update or delete that names a version fails
 * with a {@link VersionConflictException} unless the record is still at that version, and two
 * writers racing on the same record never both succeed.
 */
@ApplicationScoped
@Transactional
@DatabaseBoundary
public class RecordService {

  private CollectionRegistry collections;
  private RecordStore store;
  private RecordMapper mapper;
  private QueryParser parser;
  private int maxRecordsPerRequest;
  private AccessRecorder audit;
  private RecordReads reads;
  private ReadCache cache;
  private AtomicWrites atomicWrites;
  @Resource private TransactionSynchronizationRegistry transactions;

  protected RecordService() {}

  @Inject
  public RecordService(
      CollectionRegistry collections,
      RecordStore store,
      RecordMapper mapper,
      CollectionConfig config,
      AccessRecorder audit,
      RecordReads reads,
      ReadCache cache,
      AtomicWrites atomicWrites) {
    this.collections = collections;
    this.store = store;
    this.mapper = mapper;
    this.audit = audit;
    this.reads = reads;
    this.cache = cache;
    this.atomicWrites = atomicWrites;
    this.parser = new QueryParser(config.queryLimits());
    this.maxRecordsPerRequest = config.maxRecordsPerRequest();
  }

  /**
   * One record. Outside a caller's transaction it is written in the audit trail's shared commit
   * with its entry (see {@link AccessRecorder#insertShared}): under load, the single inserts of
   * many requests share one statement and one commit. Within one (an atomic request), it joins it.
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public RecordView insert(Caller caller, String collection, JsonObject record) {
    return insertAll(caller, collections.get(collection), List.of(record), !inTransaction()).get(0);
  }

  /** Inserts all records or, if any is invalid or not the caller's to write, none. */
  public List<RecordView> insertAll(Caller caller, String collection, List<JsonObject> records) {
    return insertAll(caller, collections.get(collection), records, false);
  }

  /**
   * @param shared whether to write in the audit trail's shared commit, outside any transaction,
   *     rather than in the caller's
   */
  private <E extends StoredRecord> List<RecordView> insertAll(
      Caller caller, CollectionDescriptor<E> collection, List<JsonObject> bodies, boolean shared) {
    Optional<String> scope =
        CollectionAccess.ownerScope(caller, collection, AccessOperation.INSERT);
    if (bodies.isEmpty() || bodies.size() > maxRecordsPerRequest) {
      throw new InvalidRequestException(
          "An insert takes 1 to " + maxRecordsPerRequest + " records, got " + bodies.size() + ".");
    }
    if (bodies.size() > 1) {
      requireAtomicWrites("an insert of several records");
    }
    // Every record valid and the caller's to write before any owner's key is looked up (or made).
    NewRecords<E> valid = mapper.validRecords(collection, bodies);
    valid
        .records()
        .forEach(r -> CollectionAccess.checkNewOwner(scope, collection, r, AccessOperation.INSERT));
    List<E> records;
    if (shared) {
      // Sealed there, with the keys of every insert waiting looked up in one query.
      audit.insertShared(caller, valid, owners(valid.records(), scope));
      records = valid.records();
    } else {
      records = mapper.sealed(valid);
      store.insertFinished(collection, records);
      audited(caller, collection, AccessOperation.INSERT, records, scope);
    }
    return records.stream().map(r -> view(collection, r, List.of())).toList();
  }

  /**
   * One record by id. A read locks nothing, and holds no connection while it waits for its audit
   * entry to be durable:
   *
   * <ul>
   *   <li>A record in the {@link ReadCache} is answered from there when its audit entry's shared
   *       transaction finds it still stored as cached.
   *   <li>Otherwise the record is read in that shared transaction (see {@link
   *       AccessRecorder#readById}), with the reads by id of the other requests waiting, and its
   *       entry committed there; it is then written as JSON (sealed fields opened) by this request,
   *       and fills the cache.
   *   <li>Within a caller's transaction (an atomic request), and for an id the store does not hold
   *       (a record still only in the ingest's journal, or none: 404), the read is a short
   *       transaction of the caller's or its own, and its entry is committed after it.
   * </ul>
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public RecordView find(Caller caller, String collection, UUID id, String select) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, AccessOperation.READ);
    List<String> projection = parser.projection(descriptor, select);
    Optional<RecordView> cached = cache.read(caller, descriptor, id, scope, projection);
    if (cached.isPresent()) {
      return cached.get();
    }
    if (!inTransaction()) {
      Optional<? extends StoredRecord> shared = audit.readById(caller, descriptor, id, scope);
      if (shared.isPresent()) {
        StoredRecord record = shared.get();
        CollectionAccess.checkStoredOwner(scope, descriptor, record, AccessOperation.READ);
        RecordView view =
            new RecordView(
                record.getId(),
                record.getVersion(),
                mapper.view(descriptor, record, projection, scope));
        if (projection.isEmpty()) {
          cache.keep(descriptor, record, view.json());
        }
        return view;
      }
    }
    RecordReads.Read<RecordView> read = reads.byId(descriptor, id, scope, projection);
    audited(caller, descriptor, AccessOperation.READ, read.records(), scope);
    if (projection.isEmpty()) {
      cache.keep(descriptor, read.records().get(0), read.value().json());
    }
    return read.value();
  }

  /**
   * One page of the records matching the query parameters (see {@link QueryParser}), read and
   * recorded as {@link #find(Caller, String, UUID, String)}.
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public RecordPage find(Caller caller, String collection, Map<String, List<String>> parameters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, AccessOperation.QUERY);
    RecordQuery asked = parser.query(descriptor, parameters);
    RecordQuery query =
        new RecordQuery(
            confined(asked.filters(), scope),
            asked.order(),
            asked.limit(),
            asked.offset(),
            asked.projection(),
            asked.after());
    RecordReads.Read<List<String>> read = reads.page(descriptor, query, scope);
    audited(caller, descriptor, AccessOperation.QUERY, read.records(), scope);
    return new RecordPage(read.value(), query.limit(), query.offset());
  }

  /** A count reveals no record, but is an access like any other: recorded as one. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public long count(Caller caller, String collection, Map<String, List<String>> filters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, AccessOperation.COUNT);
    long count = reads.count(descriptor, confined(parser.filters(descriptor, filters), scope));
    audited(caller, descriptor, AccessOperation.COUNT, List.of(), scope);
    return count;
  }

  private boolean inTransaction() {
    return transactions != null
        && transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION;
  }

  /** The filters, plus one on the owner when the caller may see only one owner's records. */
  private static List<Filter> confined(List<Filter> filters, Optional<String> scope) {
    if (scope.isEmpty()) {
      return filters;
    }
    List<Filter> confined = new java.util.ArrayList<>(filters);
    confined.add(
        new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(scope.get())));
    return confined;
  }

  /**
   * Applies a partial update to a record.
   *
   * @param expectedVersion the version the caller last saw, or null to update whatever is current
   */
  public RecordView update(
      Caller caller, String collection, UUID id, Long expectedVersion, JsonObject changes) {
    return update(caller, collections.get(collection), id, expectedVersion, changes);
  }

  private <E extends StoredRecord> RecordView update(
      Caller caller,
      CollectionDescriptor<E> collection,
      UUID id,
      Long expectedVersion,
      JsonObject changes) {
    Optional<String> scope =
        CollectionAccess.ownerScope(caller, collection, AccessOperation.UPDATE);
    cache.forget(collection, id);
    E record = existing(collection, id);
    CollectionAccess.checkStoredOwner(scope, collection, record, AccessOperation.UPDATE);
    checkVersion(collection, record, expectedVersion);
    mapper.applyChanges(collection, record, changes);
    store.update(collection, record);
    audited(caller, collection, AccessOperation.UPDATE, List.of(record), scope);
    return view(collection, record, List.of());
  }

  /**
   * Deletes a record.
   *
   * @param expectedVersion the version the caller last saw, or null to delete whatever is current
   */
  public void delete(Caller caller, String collection, UUID id, Long expectedVersion) {
    delete(caller, collections.get(collection), id, expectedVersion);
  }

  private <E extends StoredRecord> void delete(
      Caller caller, CollectionDescriptor<E> collection, UUID id, Long expectedVersion) {
    Optional<String> scope =
        CollectionAccess.ownerScope(caller, collection, AccessOperation.DELETE);
    cache.forget(collection, id);
    E record = existing(collection, id);
    CollectionAccess.checkStoredOwner(scope, collection, record, AccessOperation.DELETE);
    checkVersion(collection, record, expectedVersion);
    store.delete(collection, record);
    audited(caller, collection, AccessOperation.DELETE, List.of(record), scope);
  }

  /**
   * Records the access in the audit trail: one entry, naming every owner whose records it touched.
   * An access that touched none (an empty page, a count, an unowned collection) is recorded once,
   * for the owner it was confined to, or for the store as a whole.
   */
  private void audited(
      Caller caller,
      CollectionDescriptor<?> collection,
      AccessOperation operation,
      List<? extends StoredRecord> records,
      Optional<String> scope) {
    audit.accessed(caller, collection, operation, owners(records, scope));
  }

  /** The owners of the records, or, when they have none, the one the access was confined to. */
  private static java.util.Set<String> owners(
      List<? extends StoredRecord> records, Optional<String> scope) {
    java.util.Set<String> owners = new java.util.TreeSet<>();
    for (StoredRecord record : records) {
      if (record instanceof OwnedRecord owned) {
        owners.addAll(owned.owners());
      }
    }
    if (owners.isEmpty()) {
      scope.ifPresent(owners::add);
    }
    return owners;
  }

  /** Refuses a write that names a version other than the record's current one. */
  private static void checkVersion(
      CollectionDescriptor<?> collection, StoredRecord record, Long expectedVersion) {
    if (expectedVersion != null && record.getVersion() != expectedVersion) {
      throw new VersionConflictException(
          collection,
          record.getId(),
          "is at version " + record.getVersion() + ", not " + expectedVersion + " as expected");
    }
  }

  /** The record an update or a delete by id changes (see {@link RecordStore#findToChange}). */
  private <E extends StoredRecord> E existing(CollectionDescriptor<E> collection, UUID id) {
    return store
        .findToChange(collection, id)
        .orElseThrow(() -> new RecordNotFoundException(collection, id));
  }

  private RecordView view(
      CollectionDescriptor<?> collection, StoredRecord record, List<String> projection) {
    return new RecordView(
        record.getId(), record.getVersion(), mapper.view(collection, record, projection));
  }

  /**
   * Refuses a request of several writes, before any is made, when the store cannot make them all or
   * nothing (MongoDB without transactions): a clear refusal rather than a partial write.
   *
   * @param request what is refused, for the problem's detail
   */
  public void requireAtomicWrites(String request) {
    atomicWrites.require(request);
  }
}
