package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.NewRecords;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the audit entries of reads and refusals durable in shared transactions (group commit): a
 * request queues its entries, and whichever waiting request holds the writer's lock (the leader)
 * inserts everything queued in one transaction, then releases every request whose entries it
 * committed. Under load, many requests share one commit; alone, a request commits its own.
 *
 * <p>The leader is one of the waiting requests, not a thread of the server's pool: a commit never
 * waits for a pooled thread while every request thread waits for the commit (with a task on the
 * shared executor, the API benchmark saw sub-second stalls while the pool grew). Every entry a
 * leader takes from the queue is completed, committed or failed, before it lets its lock go. A
 * request that finds its entries taken by the second commit (below) waits for that commit's
 * outcome; one already waiting for the writer's lock when they were taken gets the lock first,
 * finds them taken, and returns.
 *
 * <p>While one shared commit runs, the request that brings the queue to {@value #SECOND_COMMIT_AT}
 * requests starts a second one beside it, on another connection, if none is running: with one
 * commit at a time, reads by id at 16 clients left a quarter of this 2-core machine idle while
 * requests waited for the commit before the one that would take their entries. A second commit only
 * for a queue that long keeps commits large: unconditional ones (up to four at once) filled the
 * idle cores with commits of fewer reads each and read no faster (docs/benchmarks.md). At most two
 * run at once; SQLite's one connection serializes them anyway.
 *
 * <p>No row is locked: entries are inserted, never updated, and carry no link to each other until
 * the sealer places them in a block. A request waits here only after its own transaction ended, so
 * it holds no pooled connection meanwhile (SQLite has only one).
 *
 * <p>A read answered from the read cache commits its entry on a condition: that the record is still
 * stored in the state of the cached copy. The shared transaction checks the conditions of all its
 * requests first, with one query per collection that reads only ids, versions and creation times,
 * and inserts the entries of those whose condition holds; the others are told so, and read the
 * database instead. The read the cache saves thus costs one more statement in a transaction that is
 * committed anyway, shared with other requests under load.
 *
 * <p>A read by id that the cache cannot answer is made in the shared transaction too (a {@link
 * Lookup}): one query per collection finds the records of every such read waiting, and each read's
 * entries, made from the record found (its owner), are inserted with the others'. A read by id thus
 * needs no transaction of its own: under load, the reads of many requests share one query and one
 * commit. A read whose record is not there, or is not the caller's to read, commits nothing; its
 * request then refuses it, and records the refusal, as any other.
 *
 * <p>A single insert is made in the shared transaction as well (an {@link Insert}): the records of
 * every insert waiting go in one statement per collection, their entries with the reads', and the
 * write and its entry still commit together. Each of those requests would otherwise begin, write
 * three rows and commit on its own: shared, an insert cost the machine half the CPU at 16 clients
 * in alternate A/B runs (docs/benchmarks.md). Its protected fields are sealed there too, under keys
 * looked up for every insert waiting in one query of the shared transaction, which also stores a
 * user's first key with the record it was made for. An insert whose shared transaction fails is
 * made again alone (sealed anew), and a failure of its own reaches its request as it is.
 */
@ApplicationScoped
public class AuditGroupCommit {

  private static final Logger LOG = Logger.getLogger(AuditGroupCommit.class.getName());

  /**
   * Entries per shared transaction at most (a lookup counts as the one entry it makes): a bounded
   * statement batch, commit, and list of ids to look up.
   */
  static final int MAX_ENTRIES_PER_COMMIT = 1000;

  /** How long a request waits for the writer's lock, or for the commit of its entries, at most. */
  private static final long WAIT_SECONDS = 30;

  /**
   * A read by id made in the shared transaction.
   *
   * @param entriesFor the entries that record the read of the record found; none when the caller
   *     may not read it (nothing is committed then)
   */
  public record Lookup(
      CollectionDescriptor<?> collection,
      UUID id,
      Function<StoredRecord, List<AccessLog>> entriesFor) {}

  /**
   * New records inserted in the shared transaction, with the entries that record their insert.
   *
   * @param records validated, sealed there (and again by a transaction of their own, should the
   *     shared one fail)
   */
  public record Insert(NewRecords<?> records, List<AccessLog> entries) {

    CollectionDescriptor<?> collection() {
      return records.collection();
    }
  }

  /**
   * What a shared transaction did for one request.
   *
   * @param committed whether its entries were committed
   * @param found the record its lookup found, or null (no lookup, or no such record)
   */
  public record Outcome(boolean committed, StoredRecord found) {}

  /**
   * A request's part in a shared commit: its entries, or the lookup that makes them, the condition
   * they are committed on (none for most), or the insert they record, and what became of them.
   */
  record Pending(
      List<AccessLog> entries,
      AccessRecorder.Copy unchanged,
      Lookup lookup,
      Insert insert,
      AtomicBoolean taken,
      CompletableFuture<Outcome> outcome) {

    Pending(List<AccessLog> entries, AccessRecorder.Copy unchanged) {
      this(entries, unchanged, null, null, new AtomicBoolean(), new CompletableFuture<>());
    }

    Pending(Lookup lookup) {
      this(List.of(), null, lookup, null, new AtomicBoolean(), new CompletableFuture<>());
    }

    Pending(Insert insert) {
      this(insert.entries(), null, null, insert, new AtomicBoolean(), new CompletableFuture<>());
    }

    /** What it adds to a shared transaction: its entries, or its lookup, and its records. */
    int size() {
      return (lookup == null ? entries.size() : 1)
          + (insert == null ? 0 : insert.records().records().size());
    }
  }

  /**
   * Requests queued at once from which a second shared commit starts beside the one running (see
   * the class comment).
   */
  static final int SECOND_COMMIT_AT = 8;

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

  /** Requests in {@link #queue}: its own size() counts them one by one. */
  private final AtomicInteger queued = new AtomicInteger();

  /** Held by the leader of the shared commit that every request waits its turn for. */
  private final ReentrantLock writer = new ReentrantLock();

  /** Held by the leader of a second shared commit, which no request waits for. */
  private final ReentrantLock second = new ReentrantLock();

  @Inject private Writer transactions;

  public AuditGroupCommit() {}

  /** A group commit through the given writer (its unit test's, outside a container). */
  AuditGroupCommit(Writer transactions) {
    this.transactions = transactions;
  }

  /**
   * Returns once the entries are committed.
   *
   * @throws AuditUnavailableException when they could not be
   */
  void commit(List<AccessLog> entries) {
    commitIf(entries, null);
  }

  /**
   * Returns once the entries are committed (true), or once it is known that the copy no longer
   * matches what is stored (false: nothing committed).
   *
   * @param unchanged the copy the record must still be stored as, or null for no condition
   * @throws AuditUnavailableException when they could not be committed
   */
  boolean commitIf(List<AccessLog> entries, AccessRecorder.Copy unchanged) {
    return submit(new Pending(entries, unchanged)).committed();
  }

  /**
   * Returns once the lookup is made and the entries it made, if any, are committed.
   *
   * @throws AuditUnavailableException when they could not be
   */
  Outcome lookUp(Lookup lookup) {
    return submit(new Pending(lookup));
  }

  /**
   * Returns once the records and their entries are committed.
   *
   * @throws RuntimeException the insert's own failure, as it was, when it failed alone too
   * @throws AuditUnavailableException when no commit came within the wait
   */
  void insert(Insert insert) {
    try {
      submit(new Pending(insert));
    } catch (AuditUnavailableException e) {
      if (e.getCause() instanceof RuntimeException failure
          && !(failure instanceof AuditUnavailableException)) {
        throw failure;
      }
      throw e;
    }
  }

  private Outcome submit(Pending pending) {
    queue.add(pending);
    if (queued.incrementAndGet() >= SECOND_COMMIT_AT && writer.isLocked() && second.tryLock()) {
      try {
        write(next());
      } finally {
        second.unlock();
      }
    }
    while (!pending.outcome().isDone()) {
      if (pending.taken().get()) { // by the second commit: its leader completes it
        try {
          return pending.outcome().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AuditUnavailableException(e);
        } catch (TimeoutException e) {
          throw new AuditUnavailableException(e);
        } catch (ExecutionException e) {
          throw new AuditUnavailableException(e.getCause());
        }
      }
      try {
        if (!writer.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new AuditUnavailableException(
              new TimeoutException("no audit commit within " + WAIT_SECONDS + " s"));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuditUnavailableException(e);
      }
      try {
        if (!pending.taken().get()) {
          write(next());
        }
      } finally {
        writer.unlock();
      }
    }
    try {
      return pending.outcome().join();
    } catch (CompletionException e) {
      throw new AuditUnavailableException(e.getCause());
    }
  }

  /** Requests queued, not yet taken by a leader (for tests). */
  int queued() {
    return queued.get();
  }

  private List<Pending> next() {
    List<Pending> batch = new ArrayList<>();
    int entries = 0;
    Pending pending;
    while (entries < MAX_ENTRIES_PER_COMMIT && (pending = queue.poll()) != null) {
      queued.decrementAndGet();
      pending.taken().set(true);
      batch.add(pending);
      entries += pending.size();
    }
    return batch;
  }

  /**
   * One transaction for the batch. When it fails, each request's part is tried alone, so that one
   * request's problem (or a transient failure) fails no other request.
   */
  private void write(List<Pending> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      Map<Pending, Outcome> outcomes = transactions.insert(batch);
      batch.forEach(p -> p.outcome().complete(outcomes.get(p)));
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        failed(batch.get(0), e);
        return;
      }
    }
    for (Pending pending : batch) {
      try {
        pending.outcome().complete(transactions.insert(List.of(pending)).get(pending));
      } catch (RuntimeException e) {
        failed(pending, e);
      }
    }
  }

  /**
   * A request's part failed alone: an insert's failure is its request's to answer, as if it had
   * written on its own (a refused row, say); entries that could not be committed are the trail's.
   */
  private static void failed(Pending pending, RuntimeException failure) {
    if (pending.insert() == null) {
      LOG.log(Level.SEVERE, "Could not commit audit entries", failure);
    }
    pending.outcome().completeExceptionally(failure);
  }

  /** The transaction of one shared commit. */
  @ApplicationScoped
  @DatabaseBoundary
  public static class Writer {

    @Inject private RecordStore store;
    @Inject private FieldProtection protection;

    public Writer() {}

    /** A writer on the given store, sealing nothing (its unit test's, outside a container). */
    Writer(RecordStore store) {
      this(store, FieldProtection.NONE);
    }

    Writer(RecordStore store, FieldProtection protection) {
      this.store = store;
      this.protection = protection;
    }

    /**
     * Checks the requests' conditions and makes their lookups and inserts, then inserts the entries
     * of those whose condition holds, of the lookups that found a record the caller may read, and
     * of the inserts.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<Pending, Outcome> insert(List<Pending> batch) {
      insertRecords(batch);
      Set<Pending> changed = changed(batch);
      Map<Pending, StoredRecord> found = lookedUp(batch);
      Map<Pending, Outcome> outcomes = new IdentityHashMap<>();
      List<AccessLog> entries = new ArrayList<>();
      for (Pending pending : batch) {
        StoredRecord record = found.get(pending);
        List<AccessLog> own;
        if (changed.contains(pending)) {
          own = List.of();
        } else if (pending.lookup() == null) {
          own = pending.entries();
        } else {
          own = record == null ? List.of() : pending.lookup().entriesFor().apply(record);
        }
        entries.addAll(own);
        outcomes.put(pending, new Outcome(!own.isEmpty(), record));
      }
      if (!entries.isEmpty()) {
        // Written as the API's records and a write's entries are: by multi-row statements with no
        // persistence context, and plain inserts (an id already stored fails the transaction, as
        // it did when counted), not PostgreSQL's speculative ON CONFLICT insertions. Their MACs
        // cover the version every insert gives (1).
        store.insertFinished(AccessLogs.COLLECTION, entries);
      }
      return outcomes;
    }

    /** The requests that name a collection (null for none), by that collection. */
    private static Map<CollectionDescriptor<?>, List<Pending>> byCollection(
        List<Pending> batch, Function<Pending, CollectionDescriptor<?>> collectionOf) {
      Map<CollectionDescriptor<?>, List<Pending>> byCollection = new HashMap<>();
      for (Pending pending : batch) {
        CollectionDescriptor<?> collection = collectionOf.apply(pending);
        if (collection != null) {
          byCollection.computeIfAbsent(collection, c -> new ArrayList<>()).add(pending);
        }
      }
      return byCollection;
    }

    /**
     * The requests' new records, as a request inserting on its own would store them: sealed under
     * their owners' keys, looked up (or first stored) in one query for all, then one statement per
     * collection (more for very many). A single sealed insert looking its key up in a transaction
     * of its own first cost it about as much server CPU as the rest of the insert, or more
     * (docs/benchmarks.md, "Sealed fields").
     */
    private void insertRecords(List<Pending> batch) {
      byCollection(batch, p -> p.insert() == null ? null : p.insert().collection())
          .forEach(
              (collection, pendings) -> {
                Set<String> owners = new TreeSet<>();
                pendings.forEach(p -> owners.addAll(p.insert().records().sealedOwners()));
                Map<String, FieldProtection.Sealer> sealers =
                    owners.isEmpty() ? Map.of() : protection.sealers(collection, owners);
                List<StoredRecord> records = new ArrayList<>();
                pendings.forEach(p -> records.addAll(p.insert().records().seal(sealers)));
                insertFinished(collection, records);
              });
    }

    @SuppressWarnings("unchecked") // the records an Insert names are of its collection
    private <E extends StoredRecord> void insertFinished(
        CollectionDescriptor<E> collection, List<StoredRecord> records) {
      store.insertFinished(collection, (List<E>) records);
    }

    /** The records the requests' lookups found: one query per collection. */
    private Map<Pending, StoredRecord> lookedUp(List<Pending> batch) {
      Map<Pending, StoredRecord> found = new IdentityHashMap<>();
      byCollection(batch, p -> p.lookup() == null ? null : p.lookup().collection())
          .forEach(
              (collection, pendings) -> {
                Map<UUID, StoredRecord> byId = new HashMap<>();
                for (StoredRecord record :
                    store.findByIds(
                        collection,
                        pendings.stream().map(p -> p.lookup().id()).distinct().toList())) {
                  byId.put(record.getId(), record);
                }
                for (Pending pending : pendings) {
                  StoredRecord record = byId.get(pending.lookup().id());
                  if (record != null) {
                    found.put(pending, record);
                  }
                }
              });
      return found;
    }

    /** The requests whose copy no longer matches the stored record: one query per collection. */
    private Set<Pending> changed(List<Pending> batch) {
      Set<Pending> changed = Collections.newSetFromMap(new IdentityHashMap<>());
      byCollection(batch, p -> p.unchanged() == null ? null : p.unchanged().collection())
          .forEach(
              (collection, pendings) -> {
                Map<UUID, RecordCache.Stamp> stored =
                    store.stamps(
                        collection, pendings.stream().map(p -> p.unchanged().id()).toList());
                for (Pending pending : pendings) {
                  if (!pending.unchanged().stamp().equals(stored.get(pending.unchanged().id()))) {
                    changed.add(pending);
                  }
                }
              });
      return changed;
    }
  }
}
