package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.collection.query.RecordQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed's collection operations (insertOne, insertMany, findById, findMany, updateOne,
 * deleteOne, count) for every collection, each in one container-managed transaction. Called within
 * a caller's transaction (the atomic endpoint), they join it.
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

  protected RecordService() {}

  @Inject
  public RecordService(
      CollectionRegistry collections,
      RecordStore store,
      RecordMapper mapper,
      CollectionConfig config) {
    this.collections = collections;
    this.store = store;
    this.mapper = mapper;
    this.parser = new QueryParser(config.queryLimits());
    this.maxRecordsPerRequest = config.maxRecordsPerRequest();
  }

  public RecordView insert(String collection, JsonObject record) {
    return insertAll(collection, List.of(record)).get(0);
  }

  /** Inserts all records or, if any is invalid, none. */
  public List<RecordView> insertAll(String collection, List<JsonObject> records) {
    return insertAll(collections.get(collection), records);
  }

  private <E extends StoredRecord> List<RecordView> insertAll(
      CollectionDescriptor<E> collection, List<JsonObject> bodies) {
    if (bodies.isEmpty() || bodies.size() > maxRecordsPerRequest) {
      throw new InvalidRequestException(
          "An insert takes 1 to " + maxRecordsPerRequest + " records, got " + bodies.size() + ".");
    }
    if (bodies.size() > 1) {
      requireAtomicWrites("an insert of several records");
    }
    List<E> records = bodies.stream().map(body -> mapper.newRecord(collection, body)).toList();
    store.insert(collection, records);
    return records.stream().map(r -> view(collection, r, List.of())).toList();
  }

  public RecordView find(String collection, UUID id, String select) {
    return find(collections.get(collection), id, select);
  }

  private <E extends StoredRecord> RecordView find(
      CollectionDescriptor<E> collection, UUID id, String select) {
    List<String> projection = parser.projection(collection, select);
    return view(collection, existing(collection, id), projection);
  }

  /** One page of the records matching the query parameters (see {@link QueryParser}). */
  public RecordPage find(String collection, Map<String, List<String>> parameters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    RecordQuery query = parser.query(descriptor, parameters);
    List<JsonObject> items =
        store.find(descriptor, query).stream()
            .map(r -> mapper.toJson(descriptor, r, query.projection()))
            .toList();
    return new RecordPage(items, query.limit(), query.offset());
  }

  public long count(String collection, Map<String, List<String>> filters) {
    CollectionDescriptor<?> descriptor = collections.get(collection);
    return store.count(descriptor, parser.filters(descriptor, filters));
  }

  /**
   * Applies a partial update to a record.
   *
   * @param expectedVersion the version the caller last saw, or null to update whatever is current
   */
  public RecordView update(String collection, UUID id, Long expectedVersion, JsonObject changes) {
    return update(collections.get(collection), id, expectedVersion, changes);
  }

  private <E extends StoredRecord> RecordView update(
      CollectionDescriptor<E> collection, UUID id, Long expectedVersion, JsonObject changes) {
    E record = current(collection, id, expectedVersion);
    mapper.applyChanges(collection, record, changes);
    store.update(collection, record);
    return view(collection, record, List.of());
  }

  /**
   * Deletes a record.
   *
   * @param expectedVersion the version the caller last saw, or null to delete whatever is current
   */
  public void delete(String collection, UUID id, Long expectedVersion) {
    delete(collections.get(collection), id, expectedVersion);
  }

  private <E extends StoredRecord> void delete(
      CollectionDescriptor<E> collection, UUID id, Long expectedVersion) {
    store.delete(collection, current(collection, id, expectedVersion));
  }

  private <E extends StoredRecord> E current(
      CollectionDescriptor<E> collection, UUID id, Long expectedVersion) {
    E record = existing(collection, id);
    if (expectedVersion != null && record.getVersion() != expectedVersion) {
      throw new VersionConflictException(
          collection,
          id,
          "is at version " + record.getVersion() + ", not " + expectedVersion + " as expected");
    }
    return record;
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
