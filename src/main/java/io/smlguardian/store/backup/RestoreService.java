package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.accesslog.AuditLedgerState;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.privacy.LegalHolds;
import io.smlguardian.store.retention.RetentionConfig;
import io.smlguardian.store.retention.RetentionPolicy;
import io.smlguardian.store.streaming.Handoff;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Then, with replace, every collection is emptied; then each entry's records are written a page
 * per transaction, leaving out the records of users erased after those records were written (the
 * {@link ErasureLedger}: erasure outlives the backups taken before it) and records whose retention
 * has run out (unless their owner is under legal hold, as the purge would keep them). The audit
 * trail is not erased per user (it is exempt from erasure), and is either kept as the store holds
 * it or loaded whole from the archive, never rolled back unnoticed (see {@link AuditLedger}). The
 * restore's receipt goes to the audit trail.
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
  private ErasureLedger ledger;
  private RetentionConfig retention;
  private AuditTrail audit;
  private AuditLedger auditLedger;

  /** Inserts pages while the archive is decoded on (two cores at work, not one). */
  @Resource ManagedExecutorService executor;

  protected RestoreService() {}

  @Inject
  public RestoreService(
      BackupArchives archives,
      BackupContents contents,
      BackupConfig config,
      StoreLoader loader,
      ErasureLedger ledger,
      RetentionConfig retention,
      AuditTrail audit,
      AuditLedger auditLedger) {
    this.archives = archives;
    this.contents = contents;
    this.config = config;
    this.loader = loader;
    this.ledger = ledger;
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
   * @throws IOException when writing failed midway (the store then holds part of the backup; a
   *     rerun with replace restores it whole)
   */
  public RestoreReport restore(
      BackupId id, boolean replace, boolean force, boolean allowUnencrypted, String startedBy)
      throws IOException {
    long began = System.nanoTime();
    RestoreReport report = new RestoreReport(id.value(), replace);
    boolean unencrypted = false;
    try {
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
      Map<String, Instant> erasures = ledger.erasures();
      Map<String, Instant> cutoffs = cutoffs(Instant.now());
      auditLedger.pauseSealing();
      try {
        if (!plan.keepCurrent()) {
          auditLedger.clearForLoad(replace).forEach(report::wiped);
        }
        if (replace) {
          for (CollectionDescriptor<?> collection : contents.all()) {
            if (!AuditLedger.holds(collection)) {
              report.wiped(collection.name(), loader.wipe(collection));
            }
          }
        }
        Set<String> held = new HashSet<>();
        for (Manifest.Entry entry : manifest.entries()) {
          if (contents.ignored(entry.collection())) {
            // Keys are never restored: the target's own keys stay as they are.
            report.ignored(entry.collection(), IGNORED_KEYS);
            continue;
          }
          CollectionDescriptor<?> collection = contents.named(entry.collection()).orElseThrow();
          if (!(plan.keepCurrent() && AuditLedger.holds(collection))) {
            load(reader, entry, collection, key, erasures, cutoffs, held, report, r -> true);
          } else if (collection == AccessLogs.COLLECTION) {
            // The store's trail is kept; of the archive's, only what it lacks is added.
            load(
                reader,
                entry,
                collection,
                key,
                erasures,
                cutoffs,
                held,
                report,
                auditLedger::missingFromTrail);
          }
        }
      } finally {
        auditLedger.resumeSealing();
      }
      LOG.info(() -> "Restore of " + id + ": " + plan.describe());
      auditLedger.restored(plan, startedBy, id.value());
    } catch (IOException | RuntimeException e) {
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

  private <E extends StoredRecord> void load(
      ArchiveReader reader,
      Manifest.Entry entry,
      CollectionDescriptor<E> collection,
      SecretKey key,
      Map<String, Instant> erasures,
      Map<String, Instant> cutoffs,
      Set<String> held,
      RestoreReport report,
      java.util.function.Predicate<StoredRecord> wanted)
      throws IOException {
    boolean erasable = collection.owned() && collection.category() != DataCategory.AUDIT_LOG;
    Instant cutoff = cutoffs.get(collection.name());
    var time = collection.schema().field(collection.timeField()).orElseThrow();
    report.restored(collection.name(), 0);
    // This thread decodes and filters; others insert the pages before.
    Handoff<List<E>> inserter =
        new Handoff<>(
            executor,
            2,
            INSERTERS,
            batch -> {
              loader.load(collection, batch);
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
            String owner = record instanceof OwnedRecord owned ? owned.getUserId() : null;
            Instant erasedAt = owner == null ? null : erasures.get(owner);
            if (erasable && erasedAt != null && erasedAt.isAfter(record.getCreatedAt())) {
              report.skippedErased(collection.name());
              return;
            }
            Instant at = (Instant) time.read(record);
            if (cutoff != null && at != null && at.isBefore(cutoff) && !held.contains(owner)) {
              report.skippedExpired(collection.name());
              return;
            }
            if (collection == LegalHolds.HOLDS) {
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
    Map<String, Long> counts =
        loader.counts(contents.all().stream().filter(c -> !AuditLedger.holds(c)).toList());
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

  /** Each collection's retention cutoff as of now. */
  private Map<String, Instant> cutoffs(Instant now) {
    Map<String, Instant> cutoffs = new HashMap<>();
    for (RetentionPolicy policy : retention.policies()) {
      cutoffs.put(policy.collection(), policy.cutoff(now));
    }
    return cutoffs;
  }
}
