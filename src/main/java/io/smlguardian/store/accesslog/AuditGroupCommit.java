package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordStore;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
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
 * leader takes from the queue is completed, committed or failed, before it lets the lock go: a
 * request that gets the lock with its entries not yet completed finds them still queued.
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
 */
@ApplicationScoped
public class AuditGroupCommit {

  private static final Logger LOG = Logger.getLogger(AuditGroupCommit.class.getName());

  /** Entries per shared transaction at most: a bounded statement batch and commit. */
  static final int MAX_ENTRIES_PER_COMMIT = 1000;

  /** How long a request waits for the writer's lock before it fails. */
  private static final long WAIT_SECONDS = 30;

  /**
   * A request's entries, the condition they are committed on (none for most), and whether they
   * were: true when committed, false when the condition did not hold (nothing committed).
   */
  record Pending(
      List<AccessLog> entries,
      AccessRecorder.Copy unchanged,
      CompletableFuture<Boolean> committed) {}

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writer = new ReentrantLock();

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
    Pending pending = new Pending(entries, unchanged, new CompletableFuture<>());
    queue.add(pending);
    while (!pending.committed().isDone()) {
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
        if (!pending.committed().isDone()) {
          write(next());
        }
      } finally {
        writer.unlock();
      }
    }
    try {
      return pending.committed().join();
    } catch (CompletionException e) {
      throw new AuditUnavailableException(e.getCause());
    }
  }

  private List<Pending> next() {
    List<Pending> batch = new ArrayList<>();
    int entries = 0;
    Pending pending;
    while (entries < MAX_ENTRIES_PER_COMMIT && (pending = queue.poll()) != null) {
      batch.add(pending);
      entries += pending.entries().size();
    }
    return batch;
  }

  /**
   * One transaction for the batch. When it fails, each request's entries are tried alone, so that
   * one request's problem (or a transient failure) fails no other request.
   */
  private void write(List<Pending> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      Set<Pending> changed = transactions.insert(batch);
      batch.forEach(p -> p.committed().complete(!changed.contains(p)));
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        LOG.log(Level.SEVERE, "Could not commit audit entries", e);
        batch.get(0).committed().completeExceptionally(e);
        return;
      }
    }
    for (Pending pending : batch) {
      try {
        pending.committed().complete(transactions.insert(List.of(pending)).isEmpty());
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "Could not commit audit entries", e);
        pending.committed().completeExceptionally(e);
      }
    }
  }

  /** The transaction of one shared commit. */
  @ApplicationScoped
  @DatabaseBoundary
  public static class Writer {

    @Inject private RecordStore store;

    public Writer() {}

    /** A writer on the given store (its unit test's, outside a container). */
    Writer(RecordStore store) {
      this.store = store;
    }

    /**
     * Checks the requests' conditions, then inserts the entries of those whose condition holds;
     * returns the others.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Set<Pending> insert(List<Pending> batch) {
      Set<Pending> changed = changed(batch);
      List<AccessLog> entries =
          batch.stream()
              .filter(p -> !changed.contains(p))
              .flatMap(p -> p.entries().stream())
              .toList();
      if (!entries.isEmpty()) {
        store.insert(AccessLogs.COLLECTION, entries);
      }
      return changed;
    }

    /** The requests whose copy no longer matches the stored record: one query per collection. */
    private Set<Pending> changed(List<Pending> batch) {
      Set<Pending> changed = Collections.newSetFromMap(new IdentityHashMap<>());
      Map<CollectionDescriptor<?>, List<Pending>> byCollection = new HashMap<>();
      for (Pending pending : batch) {
        if (pending.unchanged() != null) {
          byCollection
              .computeIfAbsent(pending.unchanged().collection(), c -> new ArrayList<>())
              .add(pending);
        }
      }
      byCollection.forEach(
          (collection, pendings) -> {
            Map<UUID, RecordCache.Stamp> stored =
                store.stamps(collection, pendings.stream().map(p -> p.unchanged().id()).toList());
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
