package io.smlguardian.store.sync;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.ViewJson;
import io.smlguardian.store.resilience.DatabaseFailures;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The journal of this instance and its flusher. Records are appended (and forced) by {@link
 * #append}; the flusher writes them to the store in batches of {@code INGEST_BATCH_SIZE}, every
 * {@code PERSISTENCE_AUTO_SAVE_INTERVAL} and as soon as a batch is full, each batch cut into lanes
 * by user ({@link FlushLane}) written at once, each lane in one transaction with insert-if-absent,
 * and advances the journal's checkpoint only after every lane committed. A crash between the
 * commits and the checkpoint makes the next start write the batch again, which stores nothing
 * twice.
 *
 * <p>At start the journal's unflushed part (what the last run acknowledged and did not flush) is
 * written first: until that has succeeded the service is not ready (see {@code
 * IngestReadinessCheck}). One flush runs at a time; a manual sync ({@link #syncNow}) waits for the
 * running one and then flushes everything acknowledged before it was asked.
 *
 * <p>A record the store refuses for good (a constraint, a value it cannot hold: see {@link
 * DatabaseFailures#isRowRefusal}) would otherwise fail its batch at every flush and hold up all
 * that comes after it. When a batch is so refused, its entries are written one by one instead, and
 * each one refused alone is set aside as a {@link DeadLetters dead letter} before the checkpoint
 * moves past it: the rest land, and the refused record waits, durable, for an operator.
 */
@ApplicationScoped
public class IngestSync {

  private static final Logger LOG = Logger.getLogger(IngestSync.class.getName());

  /** A segment file is closed and a new one started beyond this size. */
  static final long SEGMENT_BYTES = 64L * 1024 * 1024;

  @Resource ManagedScheduledExecutorService executor;
  @Inject IngestConfig config;
  @Inject IngestWriter writer;
  @Inject BulkStore store;
  @Inject AuditTrail audit;

  private IngestJournal journal;
  private DeadLetters deadLetters;
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
   * @param deadLettered those the store refused for good, set aside (see {@link DeadLetters})
   */
  public record Flush(long records, long inserted, long erased, long deadLettered, long millis) {

    static final Flush NONE = new Flush(0, 0, 0, 0, 0);

    Flush plus(Flush other) {
      return new Flush(
          records + other.records,
          inserted + other.inserted,
          erased + other.erased,
          deadLettered + other.deadLettered,
          millis);
    }

    /** Of the records, those the store held already (an earlier flush stored them). */
    public long alreadyStored() {
      return records - inserted - erased - deadLettered;
    }
  }

  /** A flush's receipt in the audit ledger. */
  @JsonbPropertyOrder({"records", "inserted", "alreadyStored", "erased", "deadLettered", "millis"})
  public record FlushReceipt(
      long records,
      long inserted,
      long alreadyStored,
      long erased,
      long deadLettered,
      long millis) {}

  /**
   * A record set aside, as operators see it: what it is and why the store refused it, without its
   * fields.
   *
   * @param journaledAt when it was acknowledged
   * @param refusedAt when the flusher set it aside
   */
  @JsonbNillable
  @JsonbPropertyOrder({"id", "collection", "owner", "journaledAt", "refusedAt", "reason"})
  public record DeadLetterView(
      UUID id,
      String collection,
      String owner,
      Instant journaledAt,
      Instant refusedAt,
      String reason) {

    static DeadLetterView of(DeadLetters.DeadLetter letter) {
      JournalEntry entry = letter.entry();
      return new DeadLetterView(
          entry.id(),
          entry.collection(),
          entry.owner(),
          entry.time(),
          letter.refusedAt(),
          letter.reason());
    }
  }

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
    "deadLetters",
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
      long deadLetters,
      IngestJournal.Stats journal) {}

  /**
   * Opens the journal and starts the flusher, after the store is ready (StoreStartup observes the
   * same event at the default priority: the schema is migrated before the first flush).
   */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) Startup startup) {
    try {
      journal =
          IngestJournal.open(config.journalDirectory(), SEGMENT_BYTES, config.journalMaxBytes());
      deadLetters = DeadLetters.in(config.journalDirectory());
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
    flushIfABatchIsWaiting();
    return entries;
  }

  /**
   * Starts a flush when a full batch waits, unless one started so is queued or running: at most one
   * such flush at a time, so that appends made while one runs do not queue more behind its lock,
   * each holding a thread of the pool that also serves requests. A batch filled meanwhile is
   * flushed next.
   */
  private void flushIfABatchIsWaiting() {
    if (config.autoSave()
        && journal.stats().pendingRecords() >= config.batchSize()
        && batchFlushQueued.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            boolean flushed = false;
            try {
              flushed = flushQuietly(ReservedIdentities.SCHEDULER);
            } finally {
              batchFlushQueued.set(false);
            }
            if (flushed) {
              flushIfABatchIsWaiting();
            } else {
              retrySoon();
            }
          });
    }
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
      Flush done = Flush.NONE;
      long written = journal.flushedUpTo(); // stored, and checkpointed or about to be
      long checkpointed = System.nanoTime();
      try {
        while (true) {
          List<JournalEntry> batch = journal.unflushed(config.batchSize(), written);
          batch = batch.stream().filter(e -> e.sequence() <= upTo).toList();
          if (batch.isEmpty()) {
            break;
          }
          done = done.plus(writeInLanes(batch));
          written = batch.get(batch.size() - 1).sequence();
          // A checkpoint costs two forces: at most one a second while a backlog is written (a
          // crash replays what came after it, stored once), and one at the end.
          if (System.nanoTime() - checkpointed >= CHECKPOINT_EVERY_NANOS) {
            journal.flushed(written);
            checkpointed = System.nanoTime();
          }
        }
        journal.flushed(written);
        discardErasedDeadLetters();
      } catch (IOException e) {
        lastError = "the journal's checkpoint could not be written: " + e.getMessage();
        throw new UncheckedIOException(lastError, e);
      } catch (RuntimeException e) {
        lastError = String.valueOf(e.getMessage());
        checkpointQuietly(written);
        if (done.records() > 0) {
          audited(principal, false, done, start);
        }
        throw e;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      lastSyncTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      lastSyncMillis = millis;
      lastError = null;
      replayed = true;
      if (done.records() > 0) {
        audited(principal, true, done, start);
      }
      return new Flush(done.records(), done.inserted(), done.erased(), done.deadLettered(), millis);
    } finally {
      flushing.unlock();
    }
  }

  private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** After a failed flush: the batches it stored before the failure need not be written again. */
  private void checkpointQuietly(long written) {
    try {
      journal.flushed(written);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "The ingest journal's checkpoint could not be written", e);
    }
  }

  /**
   * Writes the batch in its lanes ({@link FlushLane}, {@code INGEST_FLUSH_LANES}), each in a
   * transaction of its own: at once, on connections of their own, where the store takes several
   * writers ({@link BulkStore#concurrentWriters}), one after the other where it does not (SQLite's
   * one connection). Returns once every lane has ended; if one failed, its failure is thrown after
   * the others have ended, and the journal's checkpoint stays before the batch (the lanes that
   * committed store nothing twice when it is written again).
   */
  private Flush writeInLanes(List<JournalEntry> batch) throws IOException {
    List<FlushLane> lanes = FlushLane.split(batch, config.flushLanes());
    if (lanes.size() == 1 || store.concurrentWriters() == 1) {
      Flush done = Flush.NONE;
      for (FlushLane lane : lanes) {
        done = done.plus(writeOrSetAside(lane, batch));
      }
      return done;
    }
    List<Future<Flush>> others = new ArrayList<>(lanes.size() - 1);
    for (FlushLane lane : lanes.subList(1, lanes.size())) {
      others.add(executor.submit(() -> writeOrSetAside(lane, batch)));
    }
    Flush done = Flush.NONE;
    Throwable failure = null;
    try {
      done = writeOrSetAside(lanes.get(0), batch);
    } catch (IOException | RuntimeException e) {
      failure = e;
    }
    for (Future<Flush> lane : others) {
      try {
        done = done.plus(lane.get());
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure == null ? e : failure;
      }
    }
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException("A flush lane did not end: " + failure, failure);
    }
    return done;
  }

  /**
   * Writes a lane in one transaction, its rows expected to be new; if the store refuses rows of it
   * (one stored already among them, as after a crash), writes it again skipping stored ones; if the
   * store still refuses rows of it for good, writes its records one at a time instead, setting
   * aside each one refused alone, and then the audit entries it is the home of. Any other failure
   * leaves the batch in the journal for a later flush.
   */
  private Flush writeOrSetAside(FlushLane lane, List<JournalEntry> batch) throws IOException {
    try {
      IngestWriter.Written written;
      try {
        written = writer.write(lane);
      } catch (RuntimeException e) {
        if (!DatabaseFailures.isRowRefusal(e)) {
          throw e;
        }
        written = writer.writeAgain(lane);
      }
      return new Flush(lane.records().size(), written.inserted(), written.erased(), 0, 0);
    } catch (RuntimeException e) {
      if (!DatabaseFailures.isRowRefusal(e)) {
        throw e;
      }
      Flush alone = Flush.NONE;
      for (JournalEntry entry : lane.records()) {
        alone = alone.plus(writeAloneOrSetAside(entry, batch));
      }
      writer.recordIngests(lane.audited());
      return alone;
    }
  }

  private Flush writeAloneOrSetAside(JournalEntry entry, List<JournalEntry> batch)
      throws IOException {
    try {
      IngestWriter.Written written = writer.writeAlone(entry, batch);
      return new Flush(1, written.inserted(), written.erased(), 0, 0);
    } catch (RuntimeException e) {
      if (!DatabaseFailures.isRowRefusal(e)) {
        throw e;
      }
      setAside(entry, batch, e);
      return new Flush(1, 0, 0, 1, 0);
    }
  }

  /**
   * Keeps the refused entry as a dead letter, durably, and records its ingest (an access like any
   * other, whose entry would have gone in with the record) and its refusal in the audit ledger.
   */
  private void setAside(JournalEntry entry, List<JournalEntry> batch, RuntimeException refusal)
      throws IOException {
    String reason = DatabaseFailures.reason(refusal);
    deadLetters.keep(entry, reason, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    LOG.severe(
        () ->
            "The store refused the ingested "
                + entry.collection()
                + " record "
                + entry.id()
                + " for good; set aside as a dead letter: "
                + reason);
    writer.recordIngest(entry, batch);
    operationAudited(
        ReservedIdentities.SCHEDULER, AccessOperation.INGEST_DEAD_LETTER, entry, reason);
  }

  /**
   * Discards the dead letters of users erased after they were journaled, as a flush leaves out
   * their journaled records: an erasure made on any instance reaches this one's dead letters by its
   * next flush.
   */
  private void discardErasedDeadLetters() throws IOException {
    if (deadLetters.count() == 0) {
      return;
    }
    List<DeadLetters.DeadLetter> letters = deadLetters.all();
    Set<String> owners =
        letters.stream()
            .map(l -> l.entry().owner())
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    Map<String, Instant> erased;
    try {
      erased = owners.isEmpty() ? Map.of() : writer.latestErasures(owners);
    } catch (RuntimeException e) {
      // The records of this flush are stored; the next flush looks again.
      LOG.log(Level.FINE, "The erasures of the dead letters' owners could not be read", e);
      return;
    }
    for (DeadLetters.DeadLetter letter : letters) {
      JournalEntry entry = letter.entry();
      Instant erasure = entry.owner() == null ? null : erased.get(entry.owner());
      if (erasure != null && !erasure.isBefore(entry.time())) {
        deadLetters.remove(entry.id());
      }
    }
  }

  /** The records set aside, oldest first. */
  public List<DeadLetterView> deadLetters() {
    return deadLetters.all().stream().map(DeadLetterView::of).toList();
  }

  /**
   * Puts a dead letter back into the journal, as it was acknowledged (same id, same ingest), for
   * the next flush to write; answers false when there is no such dead letter. Once it is journaled,
   * the dead letter is removed: a crash in between leaves it in both places, and the record is
   * still stored once.
   */
  public boolean retryDeadLetter(UUID id, String principal) {
    // No flush in between: one could set the journaled entry aside again, and the removal below
    // would then take that new dead letter with it.
    flushing.lock();
    try {
      Optional<DeadLetters.DeadLetter> found = deadLetters.find(id);
      if (found.isEmpty()) {
        return false;
      }
      JournalEntry entry = found.get().entry();
      append(
          List.of(
              new JournalEntry.Draft(
                  entry.collection(), entry.id(), entry.owner(), entry.record(), entry.origin())));
      removeDeadLetter(id);
      operationAudited(principal, AccessOperation.INGEST_DEAD_LETTER_RETRY, entry, null);
      return true;
    } finally {
      flushing.unlock();
    }
  }

  /** Discards a dead letter for good; answers false when there is no such dead letter. */
  public boolean discardDeadLetter(UUID id, String principal) {
    flushing.lock();
    try {
      Optional<DeadLetters.DeadLetter> found = deadLetters.find(id);
      if (found.isEmpty() || !removeDeadLetter(id)) {
        return false;
      }
      operationAudited(
          principal, AccessOperation.INGEST_DEAD_LETTER_DISCARD, found.get().entry(), null);
      return true;
    } finally {
      flushing.unlock();
    }
  }

  private boolean removeDeadLetter(UUID id) {
    try {
      return deadLetters.remove(id);
    } catch (IOException e) {
      throw new UncheckedIOException("The dead letter " + id + " cannot be removed", e);
    }
  }

  /** The flush's receipt in the audit ledger, as the store's own operation. */
  private void audited(String principal, boolean completed, Flush done, long start) {
    String receipt =
        ViewJson.toJson(
            new FlushReceipt(
                done.records(),
                done.inserted(),
                done.alreadyStored(),
                done.erased(),
                done.deadLettered(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    try {
      audit.operationRun(
          "ingest", principal, AccessOperation.INGEST_FLUSH.wireName(), completed, receipt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The ingest flush's audit entry could not be written", e);
    }
  }

  /** What was done to one dead letter, in the audit ledger, as the store's own operation. */
  @JsonbNillable
  @JsonbPropertyOrder({"id", "collection", "owner", "reason"})
  public record DeadLetterReceipt(UUID id, String collection, String owner, String reason) {}

  private void operationAudited(
      String principal, AccessOperation operation, JournalEntry entry, String reason) {
    audit.operationRun(
        "ingest",
        principal,
        operation.wireName(),
        true,
        ViewJson.toJson(
            new DeadLetterReceipt(entry.id(), entry.collection(), entry.owner(), reason)));
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
        deadLetters.count(),
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
