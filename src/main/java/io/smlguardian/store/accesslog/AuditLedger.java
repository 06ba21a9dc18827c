package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What backups and restores ask of the audit ledger: a digest at each of them, and a restore that
 * never rolls the ledger back unnoticed.
 *
 * <p>A restore keeps the audit trail it finds when that trail already holds everything the
 * archive's does (its chain runs through the archive's last block): the trail is append-only, and a
 * restore of data is no reason to forget who accessed it since. Otherwise (an empty store, or a
 * trail that does not contain the archive's) it loads the archive's trail. When that ledger ends
 * before the latest digest, entries anchored outside the database would be lost: the restore is
 * then refused unless forced, and a forced one is recorded in the restored ledger and in a digest.
 */
@ApplicationScoped
public class AuditLedger {

  /** The tables of the audit trail, which a restore keeps or loads together. */
  private static final Set<String> TABLES =
      Set.of(
          AccessLogs.COLLECTION.name(),
          AuditBlock.BLOCKS.name(),
          AuditLedgerState.LEDGER.name(),
          AuditChainHead.HEADS.name());

  /**
   * What a restore does with the audit trail.
   *
   * @param keepCurrent whether the store's trail is kept (it contains the archive's)
   * @param archivedBlock the archive's last block (0 when it has none)
   * @param anchoredBlock the latest digest's block (0 when there is none)
   */
  public record RestorePlan(boolean keepCurrent, long archivedBlock, long anchoredBlock) {

    /** Whether loading the archive's trail would lose blocks that a digest anchored. */
    public boolean rollsBack() {
      return !keepCurrent && anchoredBlock > archivedBlock;
    }

    public String describe() {
      return keepCurrent
          ? "the audit trail is kept: it already holds the archive's up to block " + archivedBlock
          : "the archive's audit trail (up to block "
              + archivedBlock
              + ") replaces the store's; the latest digest names block "
              + anchoredBlock;
    }
  }

  private AuditSealer sealer;
  private AuditDigests digests;
  private AuditTrail trail;
  private Reads reads;
  private RecordStore store;

  protected AuditLedger() {}

  @Inject
  public AuditLedger(
      AuditSealer sealer, AuditDigests digests, AuditTrail trail, Reads reads, RecordStore store) {
    this.sealer = sealer;
    this.digests = digests;
    this.trail = trail;
    this.reads = reads;
    this.store = store;
  }

  /** Whether the collection is part of the audit trail (kept or loaded whole by a restore). */
  public static boolean holds(CollectionDescriptor<?> collection) {
    return TABLES.contains(collection.name());
  }

  /**
   * Seals everything written so far and writes a digest of it: before a backup's snapshot (so the
   * archive holds at least what the digest names), and after a restore.
   */
  public AuditDigests.Digest anchor(String reason) {
    return digests.write(sealer.sealPending(), reason);
  }

  /** Seals and anchors now, for an auditor or operator, whose request is recorded. */
  public AuditDigests.Digest anchor(Caller caller) {
    AuditDigests.Digest digest = anchor("on request of " + caller.subject());
    trail.accessed(caller, AccessLogs.COLLECTION, AccessOperation.SEAL, Set.of());
    return digest;
  }

  /**
   * The plan for restoring an archive whose ledger state is the given one.
   *
   * @param archived the archive's ledger state record, if it has one (older archives have none)
   */
  public RestorePlan planRestore(Optional<AuditLedgerState> archived) {
    long archivedBlock = archived.map(AuditLedgerState::lastBlock).orElse(0L);
    boolean keep =
        archivedBlock > 0
            && reads
                .blockHash(archivedBlock)
                .map(hash -> hash.equals(archived.get().lastHash()))
                .orElse(false);
    long anchored = digests.latest().map(AuditDigests.Digest::block).orElse(0L);
    return new RestorePlan(keep, archivedBlock, anchored);
  }

  /**
   * Retention of the audit trail, by whole blocks: retires the oldest blocks whose entries all
   * precede the cutoff (their rows go, and the ledger's checkpoint moves past them, so that what
   * remains still verifies), and answers the last block retired (0 when none ever was). The purge
   * then deletes the entries of retired blocks only: never an entry of a block that stays, never
   * one not yet sealed. A dry run retires nothing and answers what it would retire through.
   */
  @Transactional
  public long retireBlocksBefore(Instant cutoff, boolean dryRun) {
    Optional<AuditLedgerState> found =
        dryRun
            ? store.findById(AuditLedgerState.LEDGER, AuditLedgerState.ID)
            : store.findForUpdate(AuditLedgerState.LEDGER, AuditLedgerState.ID);
    if (found.isEmpty()) {
      return 0;
    }
    AuditLedgerState state = found.get();
    long retired = state.firstBlock() - 1;
    AuditBlock last = null;
    for (AuditBlock block : reads.blocksFrom(state.firstBlock(), state.lastBlock())) {
      if (block.number() != retired + 1 || !block.lastEntryAt().isBefore(cutoff)) {
        break;
      }
      retired = block.number();
      last = block;
    }
    if (!dryRun && last != null) {
      state.checkpoint(retired + 1, last.hash());
      store.update(AuditLedgerState.LEDGER, state);
      store.deleteMatching(
          AuditBlock.BLOCKS,
          List.of(new Filter("number", FilterOperator.LTE, false, List.of(retired))));
    }
    return retired;
  }

  /**
   * Whether a restore that keeps the store's trail must still load this archived entry: one the
   * archive holds unsealed (written while its snapshot was read) and the store lacks.
   */
  public boolean missingFromTrail(StoredRecord archived) {
    return archived instanceof AccessLog entry
        && entry.block() == null
        && !reads.recorded(entry.getId());
  }

  /** Holds sealing while a restore replaces the trail's tables (see {@link AuditSealer#pause}). */
  public void pauseSealing() {
    sealer.pause();
  }

  public void resumeSealing() {
    sealer.resume();
  }

  /**
   * After a restore: anchors the restored ledger. A forced restore that rolled the ledger back is
   * first anchored as it stands (so the sealer, which stops at a ledger behind its digest, goes on
   * from the restored end), then recorded as an entry of the restored ledger, which survives it,
   * then anchored again with that entry sealed.
   */
  public void restored(RestorePlan plan, String principal, String backupId) {
    reads.releaseLease();
    if (plan.rollsBack()) {
      digests.rebase(reads.state(), "forced restore of " + backupId);
      trail.operationRun(
          "restore",
          principal,
          "forced restore " + backupId,
          true,
          "The audit ledger was rolled back from block "
              + plan.anchoredBlock()
              + " (latest digest) to block "
              + plan.archivedBlock()
              + " (the archive's): entries sealed in between are not in the restored store.");
    }
    anchor("restore of " + backupId);
  }

  /** The ledger reads of a restore's plan, each a short transaction. */
  @ApplicationScoped
  @Transactional
  public static class Reads {

    private RecordStore store;
    private AuditKey key;

    protected Reads() {}

    @Inject
    public Reads(RecordStore store, AuditKey key) {
      this.store = store;
      this.key = key;
    }

    /** The blocks from one number to another, in order (at most a day of sealing per call). */
    public List<AuditBlock> blocksFrom(long first, long last) {
      return store.find(AuditBlock.BLOCKS, LedgerQueries.blocks(first, last, 100_000));
    }

    /**
     * A loaded ledger state carries the lease of the sealer that wrote it, on another server or
     * before a restart: released, so that this server's sealer goes on at once.
     */
    public void releaseLease() {
      store
          .findForUpdate(AuditLedgerState.LEDGER, AuditLedgerState.ID)
          .ifPresent(
              state -> {
                state.lease(null, Instant.EPOCH);
                store.update(AuditLedgerState.LEDGER, state);
              });
    }

    /** Whether an entry of that id is in the store's trail. */
    public boolean recorded(UUID id) {
      return store.findById(AccessLogs.COLLECTION, id).isPresent();
    }

    public Optional<String> blockHash(long number) {
      return store.findById(AuditBlock.BLOCKS, AuditBlock.idOf(number)).map(AuditBlock::hash);
    }

    public AuditSealer.LedgerState state() {
      return store
          .findById(AuditLedgerState.LEDGER, AuditLedgerState.ID)
          .map(
              s ->
                  new AuditSealer.LedgerState(
                      s.lastBlock(), s.lastHash(), s.totalEntries(), key.id()))
          .orElse(new AuditSealer.LedgerState(0, AuditBlock.GENESIS, 0, key.id()));
    }
  }
}
