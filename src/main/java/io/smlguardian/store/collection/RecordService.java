package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The seed's collection operations (insertOne, insertMany, findById, findMany, updateOne,
 * deleteOne, count) for every collection, each in one container-managed transaction. Called within
 * a caller's transaction (the atomic endpoint), they join it.
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
public class RecordService {

  private CollectionRegistry collections;
  private RecordStore store;
  private RecordMapper mapper;
  private QueryParser parser;
  private int maxRecordsPerRequest;
  private AccessRecorder audit;
  private RecordReads reads;

  protected RecordService() {}

  @Inject
  public RecordService(
      CollectionRegistry collections,
      RecordStore store,
      RecordMapper mapper,
      CollectionConfig config,
      AccessRecorder audit,
      RecordReads reads) {
    this.collections = collections;
    this.store = store;
    this.mapper = mapper;
    this.audit = audit;
    this.reads = reads;
    this.parser = new QueryParser(config.queryLimits());
    this.maxRecordsPerRequest = config.maxRecordsPerRequest();
  }

  public RecordView insert(Caller caller, String collection, JsonObject record) {
    return insertAll(caller, collection, List.of(record)).get(0);
  }

  /** Inserts all records or, if any is invalid or not the caller's to write, none. */
  public List<RecordView> insertAll(Caller caller, String collection, List<JsonObject> records) {
    return insertAll(caller, collections.get(collection), records);
  }

  private <E extends StoredRecord> List<RecordView> insertAll(
      Caller caller, CollectionDescriptor<E> collection, List<JsonObject> bodies) {
    Optional<String> scope = CollectionAccess.ownerScope(caller, collection, "insert");
    if (bodies.isEmpty() || bodies.size() > maxRecordsPerRequest) {
      throw new InvalidRequestException(
          "An insert takes 1 to " + maxRecordsPerRequest + " records, got " + bodies.size() + ".");
    }
    if (bodies.size() > 1) {
      requireAtomicWrites("an insert of several records");
    }
    List<E> records = bodies.stream().map(body -> mapper.newRecord(collection, body)).toList();
    records.forEach(r -> CollectionAccess.checkOwner(scope, collection, r, "insert"));
    store.insert(collection, records);
    audited(caller, collection, "insert", records);
    return records.stream().map(r -> view(collection, r, List.of())).toList();
  }

  /**
   * One record by id, read and recorded in the audit trail in one transaction: the chain's head is
   * locked only from the append, the read's last step, to the commit just after it. (Within a
   * caller's transaction, as for writes, the chain stays locked until that one ends; no endpoint
   * reads within one.)
   */
  public RecordView find(Caller caller, String collection, UUID id, String select) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, "read");
    List<String> projection = parser.projection(descriptor, select);
    RecordReads.Read<RecordView> read = reads.byId(descriptor, id, scope, projection);
    audited(caller, descriptor, "read", read.records());
    return read.value();
  }

  /**
   * One page of the records matching the query parameters (see {@link QueryParser}), read and
   * recorded in one transaction, as {@link #find(Caller, String, UUID, String)}.
   */
  public RecordPage find(Caller caller, String collection, Map<String, List<String>> parameters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, "query");
    RecordQuery asked = parser.query(descriptor, parameters);
    RecordQuery query =
        new RecordQuery(
            confined(asked.filters(), scope),
            asked.order(),
            asked.limit(),
            asked.offset(),
            asked.projection());
    RecordReads.Read<List<JsonObject>> read = reads.page(descriptor, query);
    audited(caller, descriptor, "query", read.records());
    return new RecordPage(read.value(), query.limit(), query.offset());
  }

  public long count(Caller caller, String collection, Map<String, List<String>> filters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    Optional<String> scope = CollectionAccess.ownerScope(caller, descriptor, "count");
    return store.count(descriptor, confined(parser.filters(descriptor, filters), scope));
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
    Optional<String> scope = CollectionAccess.ownerScope(caller, collection, "update");
    E record = existing(collection, id);
    CollectionAccess.checkOwner(scope, collection, record, "update");
    checkVersion(collection, record, expectedVersion);
    mapper.applyChanges(collection, record, changes);
    store.update(collection, record);
    audited(caller, collection, "update", List.of(record));
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
    Optional<String> scope = CollectionAccess.ownerScope(caller, collection, "delete");
    E record = existing(collection, id);
    CollectionAccess.checkOwner(scope, collection, record, "delete");
    checkVersion(collection, record, expectedVersion);
    store.delete(collection, record);
    audited(caller, collection, "delete", List.of(record));
  }

  /**
   * Records the access in the audit trail, one entry per owner whose records it touched. Counts,
   * which reveal no record, and unowned collections (metrics) are not user data.
   */
  private void audited(
      Caller caller,
      CollectionDescriptor<?> collection,
      String operation,
      List<? extends StoredRecord> records) {
    if (!collection.owned() || records.isEmpty()) {
      return;
    }
    java.util.Set<String> owners = new java.util.TreeSet<>();
    records.forEach(r -> owners.add(((OwnedRecord) r).getUserId()));
    audit.accessed(caller, collection, operation, owners);
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

  private <E extends StoredRecord> E existing(CollectionDescriptor<E> collection, UUID id) {
    return store
        .findById(collection, id)
        .orElseThrow(() -> new RecordNotFoundException(collection, id));
  }

  private RecordView view(
      CollectionDescriptor<?> collection, StoredRecord record, List<String> projection) {
    return new RecordView(
        record.getId(), record.getVersion(), mapper.toJson(collection, record, projection));
  }

  /**
   * Refuses a request of several writes, before any is made, when the store cannot make them all or
   * nothing (MongoDB without transactions): a clear refusal rather than a partial write.
   *
   * @param request what is refused, for the problem's detail
   */
  public void requireAtomicWrites(String request) {
    if (!store.supportsAtomicWrites()) {
      throw new AtomicWritesUnsupportedException(store.backend(), request);
    }
  }
}
