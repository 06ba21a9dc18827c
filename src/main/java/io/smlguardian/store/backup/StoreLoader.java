package io.smlguardian.store.backup;

import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.privacy.Erasures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The restore's writes. Records go into staging copies of the collections, a page per transaction
 * (no transaction grows with the backup's size, and the store serves on unchanged meanwhile); then
 * one transaction switches every staged collection in at once ({@link #switchIn}). A restore that
 * fails or is killed before that commit has changed nothing the store serves: its staging copies
 * are emptied by the next restore, or when the application next starts. Where the switch is not one
 * transaction (MongoDB), it is recorded before its first write, and one interrupted is completed
 * from the staging copies rather than left half done (see {@link RestoreService}).
 */
@ApplicationScoped
public class StoreLoader {

  private BulkStore store;
  private LedgerStore ledger;
  private BackupContents contents;

  protected StoreLoader() {}

  @Inject
  public StoreLoader(BulkStore store, LedgerStore ledger, BackupContents contents) {
    this.store = store;
    this.ledger = ledger;
    this.contents = contents;
  }

  /**
   * How one collection is switched in.
   *
   * @param replace whether its staged records take the place of its records (else they are added
   *     beside them, those whose id it lacks)
   * @param keepSince with replace, records created from then on are kept (null: none)
   * @param erasable whether the records of users erased after they were written are left out
   */
  public record Switch(
      CollectionDescriptor<?> collection, boolean replace, Instant keepSince, boolean erasable) {}

  /**
   * What a switch did: the records moved in and those left out for an erasure, per collection; or,
   * when {@code refusal} is given, nothing, and why (the store was not empty). A refusal is
   * returned rather than thrown, so that it leaves the transaction as an answer, not as the failure
   * Liberty's transaction manager would record an FFDC incident for; the caller throws it.
   */
  public record Switched(Map<String, Long> moved, Map<String, Long> erased, String refusal) {

    static Switched refused(String why) {
      return new Switched(Map.of(), Map.of(), why);
    }
  }

  /** How many records each of the collections holds. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Map<String, Long> counts(List<CollectionDescriptor<?>> collections) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (CollectionDescriptor<?> collection : collections) {
      counts.put(collection.name(), store.count(collection, List.of(), TimeKeyRange.ALL));
    }
    return counts;
  }

  /**
   * Empties the staging copy of every collection a backup may hold: before a restore loads them (of
   * what a failed or killed one left), and after it, in a transaction of its own (outside one, the
   * container would keep SQLite's one connection until the restore ends).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void clearStaging() {
    contents.all().forEach(store::clearStaging);
  }

  /** Stages a page of records, in a transaction of its own. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public <E extends StoredRecord> void stage(CollectionDescriptor<E> collection, List<E> records) {
    store.stage(collection, records);
  }

  /**
   * Switches the staged collections in, in one transaction, in order (the record of erasures first:
   * every later collection leaves out the records of the users it names). The record of erasures is
   * locked against erasures on other instances first (this instance's are held off by the caller,
   * see {@link Erasures#excludingErasures}), so none commits between this read and the commit.
   *
   * <p>Where the switch is not one transaction (MongoDB), the switch is recorded before its first
   * write and after each step ({@link BulkStore#recordSwitch}); the record stays when the switch
   * fails or the server is killed, and {@link #resume} completes it. The caller forgets it ({@link
   * #switchDone}) once what follows the switch is done too.
   *
   * @param mustBeEmpty checked inside the transaction: the restore goes ahead only if these hold no
   *     records (a restore without replace), else nothing changes and the answer says why
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Switched switchIn(PendingSwitch pending, List<CollectionDescriptor<?>> mustBeEmpty) {
    store.lockCollection(Erasures.ERASURES, true);
    for (CollectionDescriptor<?> collection : mustBeEmpty) {
      long present = store.count(collection, List.of(), TimeKeyRange.ALL);
      if (present > 0) {
        return Switched.refused(
            "The store is not empty ("
                + collection.name()
                + ": "
                + present
                + "): a restore replaces everything it holds only when asked to, with"
                + " replace=true. Nothing was restored.");
      }
    }
    return carryOut(pending);
  }

  /**
   * Completes a recorded switch that was interrupted: its steps not yet done, from the staging
   * copies, the one in progress again (each step leaves the same store when run twice, see {@link
   * BulkStore#switchStaged}). Erasures recorded meanwhile are honoured as by the switch itself.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Switched resume(PendingSwitch pending) {
    store.lockCollection(Erasures.ERASURES, true);
    return carryOut(pending);
  }

  private Switched carryOut(PendingSwitch pending) {
    store.recordSwitch(pending.toJson());
    if (pending.unplaceAudit() && !pending.auditUnplaced()) {
      ledger.unplaceAll(); // before the archive's entries come in with their blocks
      pending = pending.withAuditUnplaced();
      store.recordSwitch(pending.toJson());
    }
    Map<String, Long> moved = new LinkedHashMap<>();
    Map<String, Long> erased = new LinkedHashMap<>();
    for (Switch planned : pending.switches()) {
      CollectionDescriptor<?> collection = planned.collection();
      if (pending.isSwitched(collection)) {
        continue;
      }
      if (planned.erasable()) {
        long left = store.dropStagedErased(collection, Erasures.ERASURES);
        if (left > 0) {
          erased.put(collection.name(), left);
        }
      }
      moved.put(
          collection.name(),
          store.switchStaged(collection, planned.replace(), planned.keepSince()));
      pending = pending.withSwitched(collection);
      store.recordSwitch(pending.toJson());
    }
    return new Switched(moved, erased, null);
  }

  /** The switch recorded and not forgotten: a restore's switch was interrupted. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<PendingSwitch> pendingSwitch() {
    return store.recordedSwitch().map(json -> PendingSwitch.parse(json, contents::named));
  }

  /** Forgets the recorded switch: it and what follows it are done. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void switchDone() {
    store.forgetSwitch();
  }
}
