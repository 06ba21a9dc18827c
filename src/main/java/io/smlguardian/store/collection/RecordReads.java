package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reading part of {@link RecordService}'s queries and counts, and of the reads by id that the
 * audit trail's shared commit does not make (within an atomic request; of an id the store does not
 * hold): finds records and writes them as JSON (opening sealed fields), in the caller's transaction
 * when there is one; otherwise a read by id in a short transaction of its own, a page or a count in
 * none (see {@link #page}). The service records the read in the audit trail once it has ended, so
 * that no connection is held while the entry waits for its shared commit.
 */
@ApplicationScoped
@Transactional
@DatabaseBoundary
public class RecordReads {

  /** What a read returns, with the records it read (whose owners the audit trail records). */
  public record Read<T>(T value, List<? extends StoredRecord> records) {}

  private RecordStore store;
  private RecordMapper mapper;
  @Inject PendingRecords pending;

  protected RecordReads() {}

  @Inject
  public RecordReads(RecordStore store, RecordMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  /**
   * One record by id, if the scope allows it.
   *
   * @param scope the only owner whose records the caller may read, or empty for any
   */
  public <E extends StoredRecord> Read<RecordView> byId(
      CollectionDescriptor<E> collection,
      UUID id,
      Optional<String> scope,
      List<String> projection) {
    Optional<E> stored = store.findById(collection, id);
    FieldProtection opening = null; // the store's
    if (stored.isEmpty() && pending != null) {
      stored = pending.find(collection, id); // acknowledged here, not flushed yet
      opening = pending.protection();
    }
    E record = stored.orElseThrow(() -> new RecordNotFoundException(collection, id));
    CollectionAccess.checkStoredOwner(scope, collection, record, AccessOperation.READ);
    String json =
        opening == null
            ? mapper.view(collection, record, projection, scope)
            : mapper.view(collection, record, projection, opening);
    return new Read<>(new RecordView(record.getId(), record.getVersion(), json), List.of(record));
  }

  /**
   * The place of an {@code after} cursor's record in the default order. It is looked up among the
   * query's own records, whose filters confine it to what the caller may read: the id of a record
   * the caller may not read is refused exactly like one that does not exist.
   */
  private TimeKey position(CollectionDescriptor<?> collection, RecordQuery query) {
    UUID id = query.after().id();
    List<Filter> at = new ArrayList<>(query.filters());
    at.add(new Filter("id", FilterOperator.EQ, false, List.of(id)));
    List<? extends StoredRecord> found =
        store.findReadOnly(collection, new RecordQuery(at, List.of(), 1, 0, List.of()));
    Object time =
        found.isEmpty()
            ? null
            : collection.schema().field(collection.timeField()).orElseThrow().read(found.get(0));
    if (time == null) {
      throw new InvalidRequestException(
          "after: no record "
              + id
              + " among this query's records in "
              + collection.name()
              + " to continue from (it may have been deleted: continue with a filter on "
              + collection.timeField()
              + " instead).",
          List.of("after: names no record of this query"));
    }
    return new TimeKey((Instant) time, id);
  }

  /**
   * How many records match the filters (already confined to what the caller may read): one
   * statement, in no transaction of its own (see {@link #page}).
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public long count(CollectionDescriptor<?> collection, List<Filter> filters) {
    return store.count(collection, filters);
  }

  /**
   * The records of a query (already confined to what the caller may read), as JSON texts. Outside a
   * caller's transaction it is read in none: one statement (two with a cursor, which PostgreSQL's
   * read committed would run on two snapshots within a transaction too), with no transaction's
   * begin and commit around it, which were a fifth of the read's CPU in a profile of pages
   * (docs/benchmarks.md).
   *
   * @param scope the only owner whose records the caller may read, or empty for any
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Read<List<String>> page(
      CollectionDescriptor<?> collection, RecordQuery query, Optional<String> scope) {
    RecordQuery positioned =
        query.after() == null ? query : query.resolved(position(collection, query));
    List<? extends StoredRecord> found = store.findReadOnly(collection, positioned);
    List<String> items =
        found.stream().map(r -> mapper.view(collection, r, query.projection(), scope)).toList();
    return new Read<>(items, found);
  }
}
