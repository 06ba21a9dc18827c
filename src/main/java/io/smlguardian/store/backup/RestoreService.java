package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.accesslog.AuditLedgerState;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.backup.archive.ArchiveReader;
import io.smlguardian.store.backup.archive.BackupException;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import io.smlguardian.store.backup.archive.RecordLines;
import io.smlguardian.store.backup.archive.Verification;
import io.smlguardian.store.collection.AtomicWrites;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.privacy.Erasure;
import io.smlguardian.store.privacy.Erasures;
import io.smlguardian.store.privacy.LegalHoldService;
import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.retention.RetentionConfig;
import io.smlguardian.store.retention.RetentionPolicy;
import io.smlguardian.store.streaming.Handoff;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;

/**
 * Restores a backup into the store, on any backend, whichever backend it was taken on.
 *
 * <p>Before anything is written: the archive must open, this server must have its key (if it is
 * encrypted), every field of its records must exist here, every checksum must hold, and the store
 * must be empty unless the caller asked to replace what it holds. A restore refused for any of
 * these reasons has changed nothing.
 *
 * <p>Then each entry's records are written into a staging copy of their collection, a page per
 * transaction, while the store serves on as it was, leaving out the records of users erased after
 * those records were written (the store's record of erasures merged with the archive's: see {@link
 * Erasures}; erasure outlives the backups taken before it) and records whose retention has run out
 * (unless their owner is under legal hold, as the purge would keep them). Then one transaction
 * switches every staged collection in ({@link StoreLoader#switchIn}): the store holds either what
 * it held or the restored backup, never a part of it, whether the restore fails or the server is
 * killed at any point. The switch re-reads the record of erasures under a lock, so an erasure
 * requested while the restore ran is honoured by it. On a backend without transactions (MongoDB)
 * the switch runs in {@link Maintenance}: writes are refused meanwhile; and it is recorded before
 * its first write ({@link PendingSwitch}), so that a switch interrupted by a crash is completed
 * from the staging copies at the next start, before the service is ready, never left half done. A
 * switch that fails without a crash (a write the database refuses, the database lost for a moment)
 * keeps the service in maintenance, and its completion is retried in the background until it
 * succeeds; only then does maintenance end: a store half old, half restored is never served.
 *
 * <p>Users' data keys stay as the store holds them; keys the archive has and the store lacks are
 * added (never those of an erased user). The record of erasures is merged, never replaced.
 *
 * <p>The audit trail is not erased per user (it is exempt from erasure), and is either kept as the
 * store holds it or loaded whole from the archive, never rolled back unnoticed (see {@link
 * AuditLedger}); the entries of requests audited while the restore ran are kept either way, and
 * sealed after the restored ones. The restore's receipt goes to the audit trail.
 */
@ApplicationScoped
public class RestoreService {

  private static final Logger LOG = Logger.getLogger(RestoreService.class.getName());
  private static final int PAGE = 5000;

  static final String IGNORED_KEYS =
      "users' data keys are never restored from an archive: this store's own keys were left as"
          + " they are";

  /**
   * Pages inserted at once, each in its own transaction: the database's work per row (indexes)
   * dominates a restore, and two sessions share it out.
   */
  private static final int INSERTERS = 2;

  private BackupArchives archives;
  private BackupContents contents;
  private BackupConfig config;
  private StoreLoader loader;
  private ErasureLedger legacyLedger;
  private Erasures erasures;
  private AtomicWrites atomicWrites;
  private Maintenance maintenance;
  private RetentionConfig retention;
  private AuditTrail audit;
  private AuditLedger auditLedger;

  /**
   * The wait before the first retry of a failed switch's completion, doubled after each failure up
   * to {@link #LAST_RETRY}: a database lost for a moment is soon back; one that refuses a write
   * needs an operator, and the log then gets a line every half minute, not a flood.
   */
  private static final Duration FIRST_RETRY = Duration.ofSeconds(Maintenance.RETRY_AFTER_SECONDS);

  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  /** Inserts pages while the archive is decoded on (two cores at work, not one). */
  @Resource ManagedExecutorService executor;

  /** Retries the completion of a switch that failed midway ({@link #completeLater}). */
  @Resource ManagedScheduledExecutorService scheduler;

  protected RestoreService() {}

  @Inject
  public RestoreService(
      BackupArchives archives,
      BackupContents contents,
      BackupConfig config,
      StoreLoader loader,
      ErasureLedger legacyLedger,
      Erasures erasures,
      AtomicWrites atomicWrites,
      Maintenance maintenance,
      RetentionConfig retention,
      AuditTrail audit,
      AuditLedger auditLedger) {
    this.archives = archives;
    this.contents = contents;
    this.config = config;
    this.loader = loader;
    this.legacyLedger = legacyLedger;
    this.erasures = erasures;
    this.atomicWrites = atomicWrites;
    this.maintenance = maintenance;
    this.retention = retention;
    this.audit = audit;
    this.auditLedger = auditLedger;
  }

  /**
   * The checks a restore makes before it starts, cheap enough for a request to answer them at once
   * (all but the checksums, which the job recomputes before it writes).
   *
   * @throws BackupException when the restore cannot go ahead
   */
  public void precheck(BackupId id, boolean replace, boolean force, boolean allowUnencrypted) {
    ArchiveReader reader = open(id);
    SecretKey key = reader.requireKey(config.key());
    archives.refuseUnencrypted(reader, allowUnencrypted);
    checkFields(reader.manifest());
    if (!replace) {
      requireEmpty();
    }
    try {
      refuseRollback(id, auditPlan(reader, key), force);
    } catch (IOException e) {
      throw BackupException.unusable(
          "Backup " + id + " cannot be read; nothing was restored: " + e.getMessage());
    }
  }

  /**
   * The audit trail's part of the restore (see {@link AuditLedger}), from the archive's ledger
   * state.
   */
  private AuditLedger.RestorePlan auditPlan(ArchiveReader reader, SecretKey key)
      throws IOException {
    List<AuditLedgerState> archived = new ArrayList<>();
    for (Manifest.Entry entry : reader.manifest().entries()) {
      if (entry.collection().equals(AuditLedgerState.LEDGER.name())) {
        reader.readRecords(entry, AuditLedgerState.LEDGER, key, archived::add);
      }
    }
    return auditLedger.planRestore(archived.stream().findFirst());
  }

  /** A restore that would lose audit blocks anchored by a digest goes ahead only when forced. */
  private static void refuseRollback(BackupId id, AuditLedger.RestorePlan plan, boolean force) {
    if (plan.rollsBack() && !force) {
      throw BackupException.conflict(
          "Restoring backup "
              + id
              + " would roll the audit ledger back from block "
              + plan.anchoredBlock()
              + " (its latest digest) to block "
              + plan.archivedBlock()
              + ", losing the audit entries sealed in between; nothing was restored. Restore with"
              + " force=true to accept that loss, which the restored ledger then records.");
    }
  }

  /**
   * Restores the backup.
   *
   * @param allowUnencrypted whether an unencrypted archive is accepted on a server that encrypts
   *     its backups (recorded in the audit trail once the restore ended)
   * @param startedBy who asked, for the receipt
   * @throws BackupException when it is refused (nothing was written)
   * @throws IOException when reading the archive failed midway (nothing was switched in: the store
   *     holds what it held)
   */
  public RestoreReport restore(
      BackupId id, boolean replace, boolean force, boolean allowUnencrypted, String startedBy)
      throws Exception {
    long began = System.nanoTime();
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    RestoreReport report = new RestoreReport(id.value(), replace);
    boolean unencrypted = false;
    try {
      // A switch that failed midway is being completed: this restore would race it.
      maintenance.refuseDuring("a restore");
      ArchiveReader reader = open(id);
      SecretKey key = reader.requireKey(config.key());
      unencrypted = archives.refuseUnencrypted(reader, allowUnencrypted);
      Manifest manifest = reader.manifest();
      checkFields(manifest);
      Verification verification = reader.verify(key, true);
      if (!verification.valid()) {
        throw BackupException.unusable(
            "Backup "
                + id
                + " is damaged; nothing was restored: "
                + String.join("; ", verification.problems()));
      }
      if (!replace) {
        requireEmpty();
      }
      AuditLedger.RestorePlan plan = auditPlan(reader, key);
      refuseRollback(id, plan, force);
      legacyLedger.importOnce();
      completeInterruptedSwitch(); // its staging copies are about to be emptied
      Map<String, Instant> erasedAt = new ConcurrentHashMap<>(erasures.latest());
      Map<String, Instant> cutoffs = cutoffs(Instant.now());
      PendingSwitch pending;
      auditLedger.pauseSealing();
      try {
        loader.clearStaging();
        Set<String> held = new HashSet<>();
        for (Manifest.Entry entry : manifest.entries()) {
          if (contents.ignored(entry.collection())) {
            // Keys are never restored: the target's own keys stay as they are.
            report.ignored(entry.collection(), IGNORED_KEYS);
            continue;
          }
          CollectionDescriptor<?> collection = contents.named(entry.collection()).orElseThrow();
          if (!(plan.keepCurrent() && AuditLedger.holds(collection))) {
            load(reader, entry, collection, key, erasedAt, cutoffs, held, report, r -> true);
          } else if (collection == AccessLogs.COLLECTION) {
            // The store's trail is kept; of the archive's, only what it lacks is added.
            load(
                reader,
                entry,
                collection,
                key,
                erasedAt,
                cutoffs,
                held,
                report,
                auditLedger::missingFromTrail);
          }
        }
        pending =
            new PendingSwitch(
                id.value(),
                startedBy,
                replace,
                unencrypted,
                plan,
                switches(plan, replace, startedAt),
                false,
                List.of());
        long switchBegan = System.nanoTime();
        StoreLoader.Switched switched = switchIn(pending);
        report.switchMs((System.nanoTime() - switchBegan) / 1_000_000);
        switched.erased().forEach(report::erasedDuringRestore);
        switched.moved().forEach(report::switched);
      } catch (Exception e) {
        if (!switchInterrupted()) {
          clearStagingQuietly();
        }
        throw e;
      } finally {
        auditLedger.resumeSealing();
      }
      LOG.info(() -> "Restore of " + id + ": " + plan.describe());
      afterSwitch(pending);
    } catch (Exception e) {
      report.durationMs((System.nanoTime() - began) / 1_000_000);
      audit.operationRun(
          "restore",
          startedBy,
          "restore " + id,
          false,
          Json.createObjectBuilder(report.toJson())
              .add("error", String.valueOf(e.getMessage()))
              .build()
              .toString());
      recordUnencrypted(id, unencrypted, startedBy);
      throw e;
    }
    recordUnencrypted(id, unencrypted, startedBy);
    report.durationMs((System.nanoTime() - began) / 1_000_000);
    LOG.info(() -> "Backup " + id + " restored: " + report.toJson());
    audit.operationRun("restore", startedBy, "restore " + id, true, report.toJson().toString());
    return report;
  }

  /**
   * The switch of every collection: its staged records replace its own, but for the record of
   * erasures, which is merged (the store's stay; users' keys are no part of a backup); and the
   * audit trail, which is kept (only the archive's entries it lacks are added) or replaced but for
   * the entries of requests made since the restore began, which are kept and sealed again after the
   * archive's.
   */
  private List<StoreLoader.Switch> switches(
      AuditLedger.RestorePlan plan, boolean replace, Instant startedAt) {
    List<StoreLoader.Switch> switches = new ArrayList<>();
    for (CollectionDescriptor<?> collection : contents.all()) {
      boolean erasable =
          collection.owned()
              && collection.category() != DataCategory.AUDIT_LOG
              && collection != Erasures.ERASURES;
      if (collection == Erasures.ERASURES) {
        switches.add(new StoreLoader.Switch(collection, false, null, erasable));
      } else if (collection == AccessLogs.COLLECTION) {
        boolean replaceTrail = !plan.keepCurrent() && replace;
        switches.add(
            new StoreLoader.Switch(
                collection, replaceTrail, replaceTrail ? startedAt : null, false));
      } else if (AuditLedger.holds(collection)) {
        if (!plan.keepCurrent()) {
          switches.add(new StoreLoader.Switch(collection, true, null, false));
        }
      } else {
        switches.add(new StoreLoader.Switch(collection, true, null, erasable));
      }
    }
    return switches;
  }

  /**
   * Switches the staged collections in (see {@link StoreLoader#switchIn}), with no erasure in
   * progress on this instance; in maintenance where the store cannot do it in one transaction. A
   * switch that fails there leaves the service in maintenance until it is completed ({@link
   * #completeLater}).
   */
  private StoreLoader.Switched switchIn(PendingSwitch pending) throws Exception {
    List<CollectionDescriptor<?>> mustBeEmpty =
        pending.replace() ? List.of() : countedForEmptiness();
    Callable<StoreLoader.Switched> run =
        () -> erasures.excludingErasures(() -> loader.switchIn(pending, mustBeEmpty));
    StoreLoader.Switched switched =
        atomicWrites.guaranteed()
            ? run.call()
            : holdingOnFailure(maintenance.hold("switching in a restored backup"), run);
    if (switched.refusal() != null) {
      throw BackupException.conflict(switched.refusal());
    }
    return switched;
  }

  /**
   * What follows a switch, in the restore or when an interrupted one is completed: the restored
   * audit ledger anchored (a forced restore recorded first), then the switch's record forgotten and
   * the staging copies emptied. A crash before the record is forgotten repeats this part at the
   * next start, so it happens at least once; a forced restore is then recorded twice, never lost.
   */
  private void afterSwitch(PendingSwitch pending) {
    auditLedger.restored(pending.audit(), pending.startedBy(), pending.backupId());
    loader.switchDone();
    clearStagingQuietly();
  }

  /**
   * Runs a switch (or its completion) under the maintenance held; closes it when the switch ends,
   * and when it fails, keeps it and completes the switch in the background ({@link
   * #completeLater}): the store may be half switched.
   *
   * @throws IllegalStateException when the switch failed, saying that it is being completed
   */
  private <T> T holdingOnFailure(Maintenance.Hold hold, Callable<T> run) throws Exception {
    boolean keep = false;
    try {
      return run.call();
    } catch (Exception e) {
      keep = true;
      completeLater(hold);
      throw new IllegalStateException(
          "The restore's switch failed ("
              + e.getMessage()
              + "); the service stays in maintenance while it is completed from the staging"
              + " copies, retried in the background until it succeeds",
          e);
    } finally {
      if (!keep) {
        hold.close();
      }
    }
  }

  /**
   * Completes a switch that failed, in the background, under the maintenance held, which ends once
   * it is complete (or once it turns out that the failed switch had recorded nothing, and so never
   * began). Each failed attempt is logged and retried later ({@link #FIRST_RETRY}, {@link
   * #LAST_RETRY}).
   */
  private void completeLater(Maintenance.Hold hold) {
    hold.because("completing a restore's switch that failed midway");
    scheduleCompletion(hold, FIRST_RETRY, 1);
  }

  private void scheduleCompletion(Maintenance.Hold hold, Duration delay, int attempt) {
    scheduler.schedule(
        () -> attemptCompletion(hold, delay, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attemptCompletion(Maintenance.Hold hold, Duration delay, int attempt) {
    try {
      Optional<PendingSwitch> pending = loader.pendingSwitch();
      if (pending.isPresent()) {
        auditLedger.pauseSealing(); // the switch's own pause, which completeSwitch ends
        completeSwitch(pending.get());
      } else {
        LOG.warning("The failed switch had recorded nothing: the store was not switched");
        clearStagingQuietly();
      }
      hold.close();
    } catch (Exception e) {
      Duration next =
          delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
      String said =
          "Attempt "
              + attempt
              + " to complete the restore's failed switch failed; the service stays in"
              + " maintenance and tries again in "
              + next.toSeconds()
              + " s";
      if (attempt == 1) {
        LOG.log(Level.WARNING, said, e);
      } else {
        LOG.warning(said + ": " + e);
      }
      scheduleCompletion(hold, next, attempt + 1);
    }
  }

  /**
   * Whether a switch was recorded and not completed (where the switch is not one transaction): its
   * staging copies must then stay, to complete it. When the store cannot tell, they stay too.
   */
  private boolean switchInterrupted() {
    try {
      boolean interrupted = loader.pendingSwitch().isPresent();
      if (interrupted) {
        LOG.severe(
            "The restore's switch failed midway: the service stays in maintenance until the"
                + " switch is completed from its staging copies, which stay");
      }
      return interrupted;
    } catch (RuntimeException unknown) {
      LOG.log(
          Level.SEVERE, "Cannot tell whether the restore's switch began; staging stays", unknown);
      return true;
    }
  }

  private void clearStagingQuietly() {
    try {
      loader.clearStaging();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "Could not empty the staging copies; the next start or restore will", e);
    }
  }

  /**
   * Holds the audit sealer from the start's first step until it has completed an interrupted switch
   * ({@link #atStart}): a turn in between would seal the entries an interrupted switch took out of
   * their blocks against a ledger half old, half restored. Both observe the start event, whose
   * observers run in the order of their priorities; the sealer's schedule (from the application
   * scope's initialization, which Liberty may signal before or after the start event) takes its
   * first turn a sealing interval later.
   */
  void holdSealingAtStart(
      @Observes @Priority(Interceptor.Priority.APPLICATION + 100) Startup startup) {
    auditLedger.pauseSealing();
  }

  /**
   * At start, after the schema's migration (which observes the start at the default priority) and
   * before the ingest journal is replayed (which writes records) and before the service is ready:
   * completes a restore's switch that a crash interrupted (only where a switch is not one
   * transaction, MongoDB; elsewhere there is none), then empties the staging copies that a restore
   * killed before its switch left full (the store it had is intact). A failure to complete the
   * switch fails the start: serving a store half old, half restored is what it prevents.
   */
  void atStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) Startup startup)
      throws Exception {
    Optional<PendingSwitch> interrupted;
    try {
      interrupted = loader.pendingSwitch();
      if (interrupted.isPresent()) {
        auditLedger.pauseSealing(); // the switch's own pause, which completeSwitch ends
      }
    } finally {
      auditLedger.resumeSealing(); // the start's hold
    }
    if (interrupted.isPresent()) {
      maintenance.during(
          "completing the interrupted switch of a restore",
          () -> {
            completeSwitch(interrupted.get());
            return null;
          });
    }
    loader.clearStaging();
  }

  /**
   * Completes a switch that was interrupted, if one was (another instance's, on the same database):
   * before a restore empties staging. If that fails too, maintenance stays until it is completed.
   */
  private void completeInterruptedSwitch() throws Exception {
    Optional<PendingSwitch> interrupted = loader.pendingSwitch();
    if (interrupted.isPresent()) {
      holdingOnFailure(
          maintenance.hold("completing the interrupted switch of a restore"),
          () -> {
            auditLedger.pauseSealing(); // which completeSwitch ends
            completeSwitch(interrupted.get());
            return null;
          });
    }
  }

  /**
   * Completes a recorded switch that was interrupted (the server killed, or the database lost,
   * during it) from its staging copies, with no erasure in progress on this instance; then does
   * what the restore does after its switch, and records the restore's receipt as the restore would
   * have. Called in maintenance, with the audit sealer paused, which it resumes once the
   * collections are switched (the restored ledger is then anchored, as after a restore).
   */
  private void completeSwitch(PendingSwitch pending) throws Exception {
    LOG.warning(
        () ->
            "The switch of the restore of backup "
                + pending.backupId()
                + " was interrupted (switched before: "
                + pending.switched()
                + "): completing it from its staging copies");
    long began = System.nanoTime();
    StoreLoader.Switched switched;
    try {
      switched = erasures.excludingErasures(() -> loader.resume(pending));
    } finally {
      auditLedger.resumeSealing();
    }
    RestoreReport report = new RestoreReport(pending.backupId(), pending.replace());
    report.switchMs((System.nanoTime() - began) / 1_000_000);
    switched.erased().forEach(report::erasedDuringRestore);
    switched.moved().forEach(report::switched);
    afterSwitch(pending);
    recordUnencrypted(
        BackupId.parse(pending.backupId()), pending.unencrypted(), pending.startedBy());
    report.durationMs((System.nanoTime() - began) / 1_000_000);
    LOG.warning(
        () ->
            "The interrupted switch of the restore of backup "
                + pending.backupId()
                + " is complete: "
                + report.toJson());
    audit.operationRun(
        "restore",
        pending.startedBy(),
        "restore " + pending.backupId(),
        true,
        Json.createObjectBuilder(report.toJson())
            .add(
                "completedAfterInterruption",
                "the switch was interrupted after " + pending.switched() + " and completed here")
            .build()
            .toString());
  }

  private <E extends StoredRecord> void load(
      ArchiveReader reader,
      Manifest.Entry entry,
      CollectionDescriptor<E> collection,
      SecretKey key,
      Map<String, Instant> erasedAt,
      Map<String, Instant> cutoffs,
      Set<String> held,
      RestoreReport report,
      java.util.function.Predicate<StoredRecord> wanted)
      throws IOException {
    boolean erasable =
        collection.owned()
            && collection.category() != DataCategory.AUDIT_LOG
            && collection != Erasures.ERASURES;
    Instant cutoff = cutoffs.get(collection.name());
    var time = collection.schema().field(collection.timeField()).orElseThrow();
    report.restored(collection.name(), 0);
    // This thread decodes and filters; others stage the pages before.
    Handoff<List<E>> inserter =
        new Handoff<>(
            executor,
            2,
            INSERTERS,
            batch -> {
              loader.stage(collection, batch);
              report.restored(collection.name(), batch.size());
            });
    List<List<E>> page = new ArrayList<>(List.of(new ArrayList<>(PAGE)));
    try {
      reader.readRecords(
          entry,
          collection,
          key,
          record -> {
            if (!wanted.test(record)) {
              return;
            }
            if (record instanceof Erasure erasure) {
              // The archive's erasures count for every collection after this one.
              erasedAt.merge(
                  erasure.getUserId(), erasure.erasedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
            String owner = record instanceof OwnedRecord owned ? owned.getUserId() : null;
            Instant erased = owner == null ? null : erasedAt.get(owner);
            if (erasable && erased != null && erased.isAfter(record.getCreatedAt())) {
              report.skippedErased(collection.name());
              return;
            }
            Instant at = (Instant) time.read(record);
            if (cutoff != null && at != null && at.isBefore(cutoff) && !held.contains(owner)) {
              report.skippedExpired(collection.name());
              return;
            }
            if (collection == LegalHoldService.HOLDS) {
              held.add(owner);
            }
            page.get(0).add(record);
            if (page.get(0).size() == PAGE) {
              inserter.put(page.get(0));
              page.set(0, new ArrayList<>(PAGE));
            }
          });
      if (!page.get(0).isEmpty()) {
        inserter.put(page.get(0));
      }
    } catch (IOException | RuntimeException e) {
      try {
        inserter.finish();
      } catch (IOException | RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    inserter.finish();
  }

  /** Recorded once the restore ended: a restore replaces the audit trail it would be part of. */
  private void recordUnencrypted(BackupId id, boolean unencrypted, String startedBy) {
    if (unencrypted) {
      archives.recordUnencrypted(id, startedBy, "restore");
    }
  }

  private ArchiveReader open(BackupId id) {
    Path file = archives.existing(id);
    try {
      return ArchiveReader.open(file, id, archives.mac());
    } catch (IOException e) {
      throw BackupException.unusable(
          "Backup " + id + " cannot be read; nothing was restored: the archive " + e.getMessage());
    }
  }

  /**
   * Every record field the backup holds must exist here, and every field required here must be in
   * the backup: otherwise its records would be cut or refused halfway through.
   */
  private void checkFields(Manifest manifest) {
    List<String> problems = new ArrayList<>();
    for (Manifest.Entry entry : manifest.entries()) {
      if (contents.ignored(entry.collection())) {
        continue;
      }
      var collection = contents.named(entry.collection());
      if (collection.isEmpty()) {
        problems.add(entry.collection() + " is not a collection of this service");
        continue;
      }
      Set<String> here = Set.copyOf(RecordLines.fields(collection.get()));
      for (String field : entry.fields()) {
        if (!here.contains(field)) {
          problems.add(entry.collection() + "." + field + " does not exist here");
        }
      }
      collection.get().schema().fields().stream()
          .filter(f -> f.required() && !entry.fields().contains(f.name()))
          .forEach(f -> problems.add(entry.collection() + "." + f.name() + " is missing"));
    }
    if (!problems.isEmpty()) {
      throw BackupException.unusable(
          "Backup "
              + manifest.backupId()
              + " does not fit this service's collections; nothing was restored: "
              + String.join("; ", problems));
    }
  }

  /**
   * The store must hold no records. Its audit trail does not count: the requests of the restore
   * itself (an upload, a refused first try) are recorded there before it runs.
   */
  private void requireEmpty() {
    Map<String, Long> counts = loader.counts(countedForEmptiness());
    Map<String, Long> present =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    Map.Entry::getValue,
                    (a, b) -> a,
                    java.util.LinkedHashMap::new));
    if (!present.isEmpty()) {
      throw BackupException.conflict(
          "The store is not empty ("
              + present.entrySet().stream()
                  .map(e -> e.getKey() + ": " + e.getValue())
                  .collect(Collectors.joining(", "))
              + "): a restore replaces everything it holds only when asked to, with replace=true.");
    }
  }

  /** What must hold no records for a restore without replace: the record of erasures never does. */
  private List<CollectionDescriptor<?>> countedForEmptiness() {
    return contents.all().stream()
        .filter(c -> !AuditLedger.holds(c) && c != Erasures.ERASURES)
        .toList();
  }

  /** Each collection's retention cutoff as of now. */
  private Map<String, Instant> cutoffs(Instant now) {
    Map<String, Instant> cutoffs = new HashMap<>();
    for (RetentionPolicy policy : retention.policies()) {
      cutoffs.put(policy.collection(), policy.cutoff(now));
    }
    return cutoffs;
  }
}
