package io.smlguardian.store.sync;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.ViewJson;
import io.smlguardian.store.security.ReservedIdentities;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The journal of this instance and its flusher. Records are appended (and forced) by {@link
 * #append}; the flusher writes them to the store in batches of {@code INGEST_BATCH_SIZE}, every
 * {@code PERSISTENCE_AUTO_SAVE_INTERVAL} and as soon as a batch is full, each batch in one
 * transaction with insert-if-absent, and advances the journal's checkpoint only after that
 * transaction committed. A crash between the commit and the checkpoint makes the next start write
 * the batch again, which stores nothing twice.
 *
 * <p>At start the journal's unflushed part (what the last run acknowledged and did not flush) is
 * written first: until that has succeeded the service is not ready (see {@code
 * IngestReadinessCheck}). One flush runs at a time; a manual sync ({@link #syncNow}) waits for the
 * running one and then flushes everything acknowledged before it was asked.
 */
@ApplicationScoped
public class IngestSync {

  private static final Logger LOG = Logger.getLogger(IngestSync.class.getName());

  /** A segment file is closed and a new one started beyond this size. */
  static final long SEGMENT_BYTES = 64L * 1024 * 1024;

  @Resource ManagedScheduledExecutorService executor;
  @Inject IngestConfig config;
  @Inject IngestWriter writer;
  @Inject AuditTrail audit;

  private IngestJournal journal;
  private volatile ScheduledFuture<?> schedule;
  private final ReentrantLock flushing = new ReentrantLock();
  private final AtomicBoolean batchFlushQueued = new AtomicBoolean();
  private volatile boolean replayed;
  private volatile Instant lastSyncTime;
  private volatile Long lastSyncMillis;
  private volatile String lastError;
  private volatile Instant nextSyncTime;
  private final Object scheduling = new Object();
  // guarded by scheduling
  private boolean stopped;
  private int failures; // of scheduled flushes in a row

  /**
   * What one flush did.
   *
   * @param records the journal's records it went through
   * @param inserted those new to the store
   * @param erased those left out because their owner was erased after they were journaled
   */
  public record Flush(long records, long inserted, long erased, long millis) {}

  /** A flush's receipt in the audit ledger. */
  @JsonbPropertyOrder({"records", "inserted", "alreadyStored", "erased", "millis"})
  public record FlushReceipt(
      long records, long inserted, long alreadyStored, long erased, long millis) {}

  /** The sync status: the seed's fields, and the journal's. */
  @JsonbNillable // what is not known yet (no sync so far, no error) is written as null
  @JsonbPropertyOrder({
    "synced",
    "pendingWrites",
    "lastSyncTime",
    "nextSyncTime",
    "syncLatencyMillis",
    "replayed",
    "lastError",
    "journal"
  })
  public record Status(
      @JsonbProperty("isSynced") boolean synced,
      long pendingWrites,
      Instant lastSyncTime,
      Instant nextSyncTime,
      @JsonbProperty("syncLatency") @JsonbNillable Long syncLatencyMillis,
      boolean replayed,
      String lastError,
      IngestJournal.Stats journal) {}

  /**
   * Opens the journal and starts the flusher, after the store is ready (StoreStartup observes the
   * same event at the default priority: the schema is migrated before the first flush).
   */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) Startup startup) {
    try {
      journal =
          IngestJournal.open(config.journalDirectory(), SEGMENT_BYTES, config.journalMaxBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "The ingest journal in JOURNAL_DIR cannot be opened: " + e.getMessage(), e);
    }
    IngestJournal.Stats stats = journal.stats();
    LOG.info(
        () ->
            "Ingest journal opened: "
                + stats.pendingRecords()
                + " records to replay, "
                + (config.autoSave()
                    ? "flushed every "
                        + config.flushIntervalMillis()
                        + " ms or per "
                        + config.batchSize()
                    : "then flushed by manual syncs only (PERSISTENCE_AUTO_SAVE=false)"));
    synchronized (scheduling) {
      scheduleNext(0);
    }
  }

  /** Appends records to the journal; returns them once forced. See {@link IngestJournal#append}. */
  List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
    List<JournalEntry> entries;
    try {
      entries = journal.append(drafts);
    } catch (JournalFullException e) {
      throw e.retryAfter(TimeUnit.MILLISECONDS.toSeconds(config.flushIntervalMillis()));
    }
    if (config.autoSave()
        && journal.stats().pendingRecords() >= config.batchSize()
        && batchFlushQueued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            batchFlushQueued.set(false);
            if (!flushQuietly(ReservedIdentities.SCHEDULER)) {
              retrySoon();
            }
          });
    }
    return entries;
  }

  /**
   * One scheduled flush, then the next one: after the interval, or sooner after a failure, from 500
   * ms doubling up to the interval, so that a database that is back gets the pending records soon
   * (the start's replay, and the records taken while it was down). The database's own retries and
   * circuit breaker (MicroProfile Fault Tolerance, {@code DatabaseGuard}) are around each flush's
   * transactions: while the breaker is open, a flush fails at once without a connection. The
   * backoff between flushes is the schedule's own: a Fault Tolerance retry would hold a thread for
   * the whole outage, and has no exponential delay.
   */
  private void scheduledFlush() {
    boolean flushed = flushQuietly(ReservedIdentities.SCHEDULER);
    synchronized (scheduling) {
      failures = flushed ? 0 : failures + 1;
      if (!flushed) {
        scheduleNext(backoff(failures)); // the start's replay is retried even without auto-save
      } else if (config.autoSave()) {
        scheduleNext(config.flushIntervalMillis());
      } else {
        nextSyncTime = null; // until a manual sync
      }
    }
  }

  /** The delay before the next scheduled flush after this many failed ones in a row. */
  private long backoff(int failed) {
    return Math.min(config.flushIntervalMillis(), 500L << Math.min(Math.max(failed, 1) - 1, 20));
  }

  /**
   * After a flush that failed outside the schedule (a full batch's, a manual sync): the next
   * scheduled flush comes within the backoff's delay rather than the interval.
   */
  private void retrySoon() {
    synchronized (scheduling) {
      long delay = backoff(failures + 1);
      Instant soon = Instant.now().plusMillis(delay);
      // A running scheduled flush cannot be cancelled; it schedules its successor itself.
      if (nextSyncTime != null && nextSyncTime.isAfter(soon) && schedule.cancel(false)) {
        scheduleNext(delay);
      }
    }
  }

  private void scheduleNext(long delay) {
    if (!stopped) {
      nextSyncTime = Instant.now().plusMillis(delay);
      schedule = executor.schedule(this::scheduledFlush, delay, TimeUnit.MILLISECONDS);
    }
  }

  private boolean flushQuietly(String principal) {
    try {
      flush(principal);
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Ingest flush failed; the records stay in the journal", e);
      return false;
    }
  }

  /**
   * Flushes now everything acknowledged so far, and answers when done.
   *
   * @param principal who asked, for the audit entry
   * @throws RuntimeException the store's failure; the records stay in the journal
   */
  public Flush syncNow(String principal) {
    try {
      return flush(principal);
    } catch (RuntimeException e) {
      retrySoon();
      throw e;
    }
  }

  private Flush flush(String principal) {
    flushing.lock();
    try {
      long start = System.nanoTime();
      long upTo = journal.stats().lastDurable();
      long records = 0;
      long inserted = 0;
      long erased = 0;
      try {
        while (true) {
          List<JournalEntry> batch = journal.unflushed(config.batchSize());
          batch = batch.stream().filter(e -> e.sequence() <= upTo).toList();
          if (batch.isEmpty()) {
            break;
          }
          IngestWriter.Written written = writer.write(batch);
          journal.flushed(batch.get(batch.size() - 1).sequence());
          records += batch.size();
          inserted += written.inserted();
          erased += written.erased();
        }
      } catch (IOException e) {
        lastError = "the journal's checkpoint could not be written: " + e.getMessage();
        throw new UncheckedIOException(lastError, e);
      } catch (RuntimeException e) {
        lastError = String.valueOf(e.getMessage());
        if (records > 0) {
          audited(principal, false, records, inserted, erased, start);
        }
        throw e;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      lastSyncTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      lastSyncMillis = millis;
      lastError = null;
      replayed = true;
      if (records > 0) {
        audited(principal, true, records, inserted, erased, start);
      }
      return new Flush(records, inserted, erased, millis);
    } finally {
      flushing.unlock();
    }
  }

  /** The flush's receipt in the audit ledger, as the store's own operation. */
  private void audited(
      String principal, boolean completed, long records, long inserted, long erased, long start) {
    String receipt =
        ViewJson.toJson(
            new FlushReceipt(
                records,
                inserted,
                records - inserted - erased,
                erased,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    try {
      audit.operationRun(
          "ingest", principal, AccessOperation.INGEST_FLUSH.wireName(), completed, receipt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The ingest flush's audit entry could not be written", e);
    }
  }

  /** The record of this id if it is acknowledged and not yet flushed (see PendingRecords). */
  Optional<JournalEntry> pending(UUID id) {
    return journal.pending(id);
  }

  /** Whether the journal's unflushed part found at start has been written to the store. */
  public boolean replayed() {
    return replayed;
  }

  public Status status() {
    IngestJournal.Stats stats = journal.stats();
    return new Status(
        stats.pendingRecords() == 0,
        stats.pendingRecords(),
        lastSyncTime,
        nextSyncTime,
        lastSyncMillis,
        replayed,
        lastError,
        stats);
  }

  @PreDestroy
  void stop() {
    synchronized (scheduling) {
      stopped = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
    }
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "The ingest journal did not close cleanly", e);
      }
    }
  }
}
