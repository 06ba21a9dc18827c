package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.RecordStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the audit entries of reads and refusals durable in shared transactions (group commit): a
 * request queues its entries and waits; one writer at a time drains the queue and inserts
 * everything queued in one transaction, then releases every request whose entries it committed.
 * Under load, many requests share one commit; alone, a request waits for one short insert.
 *
 * <p>No row is locked: entries are inserted, never updated, and carry no link to each other until
 * the sealer places them in a block. The writer runs on the server's managed executor, so a request
 * thread never holds a pooled connection while it waits (SQLite has only one).
 */
@ApplicationScoped
public class AuditGroupCommit {

  private static final Logger LOG = Logger.getLogger(AuditGroupCommit.class.getName());

  /** Entries per shared transaction at most: a bounded statement batch and commit. */
  static final int MAX_ENTRIES_PER_COMMIT = 1000;

  /** How long a request waits for its entries to be committed before it fails. */
  private static final long WAIT_SECONDS = 30;

  private record Pending(List<AccessLog> entries, CompletableFuture<Void> committed) {}

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  @Resource private ManagedExecutorService executor;
  @Inject private Writer writer;

  /**
   * Returns once the entries are committed.
   *
   * @throws AuditUnavailableException when they could not be
   */
  void commit(List<AccessLog> entries) {
    Pending pending = new Pending(entries, new CompletableFuture<>());
    queue.add(pending);
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
    try {
      pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AuditUnavailableException(e.getCause());
    } catch (TimeoutException e) {
      throw new AuditUnavailableException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditUnavailableException(e);
    }
  }

  /**
   * Commits what is queued, batch after batch, until the queue is empty. The flag is cleared before
   * the last look at the queue, so an entry queued meanwhile is either seen here or starts a drain.
   */
  private void drain() {
    while (true) {
      List<Pending> batch = next();
      if (batch.isEmpty()) {
        draining.set(false);
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      write(batch);
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
    try {
      writer.insert(batch.stream().flatMap(p -> p.entries().stream()).toList());
      batch.forEach(p -> p.committed().complete(null));
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
        writer.insert(pending.entries());
        pending.committed().complete(null);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "Could not commit audit entries", e);
        pending.committed().completeExceptionally(e);
      }
    }
  }

  /** The transaction of one shared commit. */
  @ApplicationScoped
  public static class Writer {

    @Inject private RecordStore store;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void insert(List<AccessLog> entries) {
      store.insert(AccessLogs.COLLECTION, entries);
    }
  }
}
