package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.RecordQuery;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The records of every collection alike, one request's worth at a time: the store's role that the
 * API, the ingest, the read cache, the audit ledger and erasure use. Implementations work within
 * the caller's transaction and see only validated records and queries; they report a lost race on a
 * version as a {@link VersionConflictException}. Bulk work has a role of its own ({@link
 * BulkStore}), and so has what the store says about itself ({@link StoreInfo}).
 */
public interface RecordStore {

  /** Stores new records, assigning their id, creation time and first version. */
  <E extends StoredRecord> void insert(CollectionDescriptor<E> collection, List<E> records);

  /**
   * Stores new records as {@link #insert} does, for a caller that hands them back as they are and
   * changes them no further: on the JPA stores, without the persistence context, whose unit of work
   * would write each as an INSERT of its own at the flush and track it to the commit (a change to
   * such a record later in the same transaction is not written). The API's inserts.
   */
  default <E extends StoredRecord> void insertFinished(
      CollectionDescriptor<E> collection, List<E> records) {
    insert(collection, records);
  }

  /**
   * Inserts each record exactly as given (id, creation time and version included) unless a record
   * of that id is already stored, within the caller's transaction: the write-behind ingest replays
   * its journal with it, so a record written twice (a flush retried, a journal replayed after a
   * crash) is stored once. Nothing is validated or sealed again. Returns how many were inserted.
   */
  <E extends StoredRecord> long insertIfAbsent(CollectionDescriptor<E> collection, List<E> records);

  /**
   * Inserts records expected to be new as {@link #insertIfAbsent} would, where the backend's
   * insert-if-absent is the dearer way to store them; that is, on PostgreSQL, where each row of
   * {@code ON CONFLICT DO NOTHING} is a speculative insertion (a probe of the key and one more WAL
   * record), a plain insert: one record already stored then fails the statement as a refused row,
   * and the caller writes the records again in a new transaction with {@link #insertIfAbsent}.
   * Elsewhere it is {@link #insertIfAbsent}. Returns how many were inserted.
   */
  default <E extends StoredRecord> long insertNew(
      CollectionDescriptor<E> collection, List<E> records) {
    return insertIfAbsent(collection, records);
  }

  <E extends StoredRecord> Optional<E> findById(CollectionDescriptor<E> collection, UUID id);

  /**
   * A record to change or delete by {@link #update} or {@link #delete} within the caller's
   * transaction: on the JPA stores, for a collection without an owner table, read by plain JDBC and
   * tracked by no persistence context (its update is then one UPDATE at its version, its delete one
   * DELETE); elsewhere as {@link #findById} finds it.
   */
  default <E extends StoredRecord> Optional<E> findToChange(
      CollectionDescriptor<E> collection, UUID id) {
    return findById(collection, id);
  }

  /**
   * Those of the records that are stored, by id, in one query, in no particular order: what the
   * audit trail's shared commit reads for the reads by id it records (see {@link
   * AccessRecorder#readById}).
   */
  <E extends StoredRecord> List<E> findByIds(
      CollectionDescriptor<E> collection, Collection<UUID> ids);

  /**
   * The stamps (version and creation time) of those of the records that are stored, by id, in one
   * query that reads no other column: what the read cache checks its copies against.
   */
  Map<UUID, RecordCache.Stamp> stamps(CollectionDescriptor<?> collection, Collection<UUID> ids);

  /**
   * Finds a record and locks it until the caller's transaction ends, so that writers of that record
   * take turns (where the backend has transactions; elsewhere, as {@link #findById}).
   */
  <E extends StoredRecord> Optional<E> findForUpdate(CollectionDescriptor<E> collection, UUID id);

  /** The records matching the query, in its order, one page. */
  <E extends StoredRecord> List<E> find(CollectionDescriptor<E> collection, RecordQuery query);

  /**
   * The records {@link #find} finds, for a caller that only reads them (the API's pages): on the
   * JPA stores, for a collection without an owner table and a query whose every filter compares a
   * field with values, by one plain SELECT, tracked by no persistence context (so it does not see
   * changes to tracked records that the caller's transaction has not flushed yet); elsewhere as
   * {@link #find} finds them.
   */
  default <E extends StoredRecord> List<E> findReadOnly(
      CollectionDescriptor<E> collection, RecordQuery query) {
    return find(collection, query);
  }

  /** The number of records matching the filters. */
  long count(CollectionDescriptor<?> collection, List<Filter> filters);

  /**
   * Writes the changes made to a record found by {@link #findById} or {@link #findToChange},
   * provided nobody changed it since, and advances its version.
   */
  <E extends StoredRecord> void update(CollectionDescriptor<E> collection, E record);

  /**
   * Deletes a record found by {@link #findById} or {@link #findToChange}, provided nobody changed
   * it since.
   */
  <E extends StoredRecord> void delete(CollectionDescriptor<E> collection, E record);

  /** Deletes every record matching the filters at once (erasure, reset); returns how many. */
  long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters);

  /**
   * Makes the transactions that decide about one user take turns: until the caller's transaction
   * ends, another that asks for the same user's lock waits. A legal hold's placement and an erasure
   * both take it before they look at the user's holds, so neither can miss the other. Where
   * transactions already run one at a time (SQLite: one connection), it does nothing; on MongoDB
   * (no transactions) it is a lock of the instance, held until the caller's JTA transaction ends.
   */
  void lockUser(String userId);

  /**
   * Takes the locks of several users ({@link #lockUser}) in one order every such caller uses, so
   * that two of them never wait for each other in a cycle (a caller of {@link #lockUser} holds only
   * one). A store may take them all in one round trip.
   */
  default void lockUsers(Collection<String> userIds) {
    userIds.stream().distinct().sorted().forEach(this::lockUser);
  }

  /**
   * Whether several writes within the caller's transaction take effect all or none. A store that
   * cannot promise that answers false, and the service then refuses any request of several writes
   * ({@link AtomicWritesUnsupportedException}) rather than risk storing part of it. The one
   * capability a caller asks for, and only {@link RecordService} asks.
   */
  boolean supportsAtomicWrites();
}
