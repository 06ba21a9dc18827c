package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.RecordQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The storage backend, for every collection alike. Implementations work within the caller's
 * transaction and see only validated records and queries; they report a lost race on a version as a
 * {@link VersionConflictException}.
 */
public interface RecordStore {

  /** Stores new records, assigning their id, creation time and first version. */
  <E extends StoredRecord> void insert(CollectionDescriptor<E> collection, List<E> records);

  /**
   * Inserts each record exactly as given (id, creation time and version included) unless a record
   * of that id is already stored, within the caller's transaction: the write-behind ingest replays
   * its journal with it, so a record written twice (a flush retried, a journal replayed after a
   * crash) is stored once. Nothing is validated or sealed again. Returns how many were inserted.
   */
  <E extends StoredRecord> long insertIfAbsent(CollectionDescriptor<E> collection, List<E> records);

  <E extends StoredRecord> Optional<E> findById(CollectionDescriptor<E> collection, UUID id);

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

  default long count(CollectionDescriptor<?> collection, List<Filter> filters) {
    return count(collection, filters, TimeKeyRange.ALL);
  }

  /** The number of records matching the filters within a range of the collection's time order. */
  long count(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range);

  /**
   * Writes the changes made to a record found by {@link #findById}, provided nobody changed it
   * since, and advances its version.
   */
  <E extends StoredRecord> void update(CollectionDescriptor<E> collection, E record);

  /** Deletes a record found by {@link #findById}, provided nobody changed it since. */
  <E extends StoredRecord> void delete(CollectionDescriptor<E> collection, E record);

  /** Deletes every record matching the filters at once (erasure, reset); returns how many. */
  default long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters) {
    return deleteMatching(collection, filters, TimeKeyRange.ALL);
  }

  /**
   * Deletes the records matching the filters within a range of the collection's time order, in one
   * statement (retention deletes a bounded range at a time); returns how many.
   */
  long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range);

  /**
   * Makes the transactions that decide about one user take turns: until the caller's transaction
   * ends, another that asks for the same user's lock waits. A legal hold's placement and an erasure
   * both take it before they look at the user's holds, so neither can miss the other. Where
   * transactions already run one at a time (SQLite: one connection) or do not exist (MongoDB), it
   * does nothing.
   */
  default void lockUser(String userId) {}

  /**
   * Takes the locks of several users ({@link #lockUser}) in one order every such caller uses, so
   * that two of them never wait for each other in a cycle (a caller of {@link #lockUser} holds only
   * one). A store may take them all in one round trip.
   */
  default void lockUsers(java.util.Collection<String> userIds) {
    userIds.stream().distinct().sorted().forEach(this::lockUser);
  }

  /**
   * Whether several writes within the caller's transaction take effect all or none. A store that
   * cannot promise that answers false, and the service then refuses any request of several writes
   * ({@link AtomicWritesUnsupportedException}) rather than risk storing part of it.
   */
  boolean supportsAtomicWrites();

  /**
   * Whether work may run in a transaction of its own while the caller's transaction is open
   * (REQUIRES_NEW). A store that answers false (SQLite: one connection, one writer, both held by
   * the open transaction until it ends) would wait for itself there: callers then do that work in
   * their own transaction, where it cannot race anyway, since nothing else writes meanwhile.
   */
  default boolean supportsNestedTransactions() {
    return true;
  }

  /**
   * Whether the store's data lives only as long as the server (memory): only such a store may be
   * reset (see {@link StoreReset}).
   */
  default boolean ephemeral() {
    return false;
  }

  /** The backend, as {@code DB_BACKEND} names it (e.g. {@code sqlite}), for problems and health. */
  String backend();

  /** One round trip to the backend; throws when it cannot be reached. */
  void ping();

  /**
   * The space the collection takes, as the backend reports it (for operators' status, not for any
   * decision). A backend that cannot tell answers {@link StorageSize#unknown} with the reason; this
   * never throws for that.
   */
  default StorageSize storageSize(CollectionDescriptor<?> collection) {
    return StorageSize.unknown("not reported by the " + backend() + " backend");
  }

  /**
   * The key of the record that lies {@code position} places (1 for the next) after the given key
   * (before the first when null) among the records matching the filters, in the collection's time
   * order (time field, then id, ascending); empty when fewer remain. A bulk job walks a collection
   * by such keys (keyset paging): the records between two of them are one bounded range, and it
   * resumes after the last key it finished however many records it deleted meanwhile. Records
   * without a time are left out. One query, over the index on (time field, id) where there is one.
   */
  Optional<TimeKey> timeKeyAt(
      CollectionDescriptor<?> collection, List<Filter> filters, TimeKey after, int position);

  /**
   * Opens a read of whole collections for a backup: every record in its stored form (sealed fields
   * stay sealed), streamed, so memory does not grow with their number. Where the backend has
   * transactions, every read of one snapshot sees the same committed state. Call it outside a
   * transaction, and close it.
   */
  RecordSnapshot openSnapshot();

  /**
   * Inserts records exactly as given, their id, creation time and version included, within the
   * caller's transaction: a restore puts back what a snapshot read. Nothing is validated or sealed
   * again.
   */
  <E extends StoredRecord> void restore(CollectionDescriptor<E> collection, List<E> records);

  // A restore's staging: it loads every collection into a staging copy while the store serves on,
  // then switches the copies in at once (see RestoreService).

  /**
   * Empties the collection's staging copy: before a restore loads it (of what a failed or killed
   * one left), and after. Within the caller's transaction.
   */
  void clearStaging(CollectionDescriptor<?> collection);

  /** As {@link #restore}, into the collection's staging copy. */
  <E extends StoredRecord> void stage(CollectionDescriptor<E> collection, List<E> records);

  /**
   * Deletes from the collection's staging copy the records of every user whom {@code erasures}
   * names with a time (its time field) after the record's creation, within the caller's
   * transaction; returns how many.
   */
  long dropStagedErased(CollectionDescriptor<?> collection, CollectionDescriptor<?> erasures);

  /**
   * Moves the staged records into the collection within the caller's transaction: with {@code
   * replace}, in place of its records (of those created before {@code keepSince}, when given);
   * otherwise only those whose id it lacks, beside its own. Returns how many were moved.
   */
  long switchStaged(CollectionDescriptor<?> collection, boolean replace, Instant keepSince);

  /**
   * Locks the collection against writers until the caller's transaction ends, where the backend has
   * table locks (PostgreSQL): {@code exclusive} excludes every other writer of it; otherwise only
   * other exclusive lockers, so that writers (shared) and a switch (exclusive) take turns across
   * instances. Elsewhere it does nothing: SQLite has one writer at a time anyway.
   */
  default void lockCollection(CollectionDescriptor<?> collection, boolean exclusive) {}
}
