package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Work on whole collections, or bounded ranges of them: retention's ranged counts and deletes over
 * time keys, the snapshot a backup or an export reads, a restore's loading, staging and switching
 * in. The store's role for jobs, beside the records' ({@link RecordStore}).
 */
public interface BulkStore {

  /** The number of records matching the filters within a range of the collection's time order. */
  long count(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range);

  /**
   * Deletes the records matching the filters within a range of the collection's time order, in one
   * statement (retention deletes a bounded range at a time); returns how many.
   */
  long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters, TimeKeyRange range);

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
   * How many bulk writers may work at once, each in a transaction of its own, while other
   * transactions are open: 1 on a store whose one connection serves every transaction (SQLite),
   * where a second writer would only wait for that connection, holding a thread meanwhile; no limit
   * elsewhere.
   */
  default int concurrentWriters() {
    return Integer.MAX_VALUE;
  }

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
   * otherwise only those whose id it lacks, beside its own. Returns how many were moved. Run again
   * on the same staging copy, it leaves the collection as the first run did: where a switch is not
   * one transaction, an interrupted one is completed by running its steps again.
   */
  long switchStaged(CollectionDescriptor<?> collection, boolean replace, Instant keepSince);

  // A switch that is not one transaction (MongoDB's) is recorded before its first write, with its
  // progress, so that one interrupted by a crash is completed from the staging copies at the next
  // start rather than leaving the store half old, half restored (see StoreLoader).

  /**
   * Records durably what a switch is to do and how far it got (a JSON document the restore writes
   * and reads; this store only keeps it), in place of what was recorded. Where the whole switch is
   * one transaction (the relational stores) it does nothing: that switch commits whole or not at
   * all, so there is never a part of it to complete, and a record written and deleted within the
   * same transaction would never be seen.
   */
  default void recordSwitch(String plan) {}

  /** The switch recorded and not yet {@link #forgetSwitch forgotten}: one was interrupted. */
  default Optional<String> recordedSwitch() {
    return Optional.empty();
  }

  /** Deletes the switch's record, once the switch and what follows it are done. */
  default void forgetSwitch() {}

  /**
   * Locks the collection against writers until the caller's transaction ends, where the backend has
   * table locks (PostgreSQL): {@code exclusive} excludes every other writer of it; otherwise only
   * other exclusive lockers, so that writers (shared) and a switch (exclusive) take turns across
   * instances. Elsewhere it does nothing: SQLite has one writer at a time anyway.
   */
  void lockCollection(CollectionDescriptor<?> collection, boolean exclusive);
}
