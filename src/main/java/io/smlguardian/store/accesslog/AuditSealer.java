package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Links written audit entries into the ledger's chain of blocks, off the request path: every {@code
 * AUDIT_SEAL_INTERVAL} milliseconds (default 1000) it takes the entries not yet in a block, oldest
 * first, up to {@code AUDIT_BLOCK_SIZE} (default 1000) per block, and seals them (see {@link
 * AuditBlock}). An entry is therefore sealed within about one interval of being written, more only
 * while a backlog of full blocks is worked off.
 *
 * <p>Entries get their position when they are sealed, not when they are written: an entry that
 * commits late (a long write transaction) simply joins a later block, and none is skipped. An entry
 * whose MAC does not match its content (made in the database without the audit key) is never
 * sealed; it stays out of every block, where verification reports it.
 *
 * <p>One sealer works at a time per database: each turn claims the ledger's state row (read for
 * update where the backend locks rows; on MongoDB the row's version lets one claimant win), so
 * sealers of several instances take turns. A turn interrupted by a crash is completed by the next
 * one (see {@link Turn#seal}).
 */
@ApplicationScoped
public class AuditSealer {

  private static final Logger LOG = Logger.getLogger(AuditSealer.class.getName());

  @Resource private ManagedScheduledExecutorService executor;
  @Inject private Turn turn;
  @Inject private AuditLedger.Reads reads;
  @Inject private AuditDigests digests;

  @Inject
  @ConfigProperty(name = "AUDIT_SEAL_INTERVAL", defaultValue = "1000")
  private long intervalMillis;

  @Inject
  @ConfigProperty(name = "AUDIT_BLOCK_SIZE", defaultValue = "1000")
  private int blockSize;

  /** How long a turn's lease lasts: far longer than a turn, short enough to take over soon. */
  static final Duration LEASE = Duration.ofSeconds(30);

  /** This instance's name as a sealer, for the lease. */
  private final String name = UUID.randomUUID().toString();

  private ScheduledFuture<?> schedule;
  private int pauses;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (intervalMillis < 1 || blockSize < 1) {
      throw new IllegalStateException("AUDIT_SEAL_INTERVAL and AUDIT_BLOCK_SIZE must be positive");
    }
    schedule =
        executor.scheduleWithFixedDelay(
            this::sealScheduled, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  private synchronized void sealScheduled() {
    if (pauses > 0) {
      return;
    }
    try {
      digests.writeIfDue(sealPending());
    } catch (RuntimeException e) {
      // The next turn retries: nothing is lost, entries only wait longer to be sealed.
      LOG.log(Level.WARNING, "Audit sealing failed; retrying at the next interval", e);
    }
  }

  /**
   * Seals everything written so far, block after block, and answers the ledger's state after it.
   * Serialized within this instance; across instances, by the state row.
   */
  public synchronized LedgerState sealPending() {
    while (pauses == 0 && turn.seal(blockSize, name) == blockSize) {
      // a full block: more may be waiting
    }
    return reads.state();
  }

  /**
   * Holds sealing on this instance while a restore replaces the ledger's tables, which it loads in
   * several transactions: a turn in between would seal against a half-loaded ledger. Waits for a
   * turn in progress to end. Every pause needs its {@link #resume()}.
   */
  public synchronized void pause() {
    pauses++;
  }

  public synchronized void resume() {
    pauses = Math.max(0, pauses - 1);
  }

  /** The ledger's end as the last turn left it, for digests and answers. */
  public record LedgerState(long lastBlock, String lastHash, long totalEntries, String keyId) {}

  /**
   * One turn of the sealer, in a transaction of its own, through the database's guard like every
   * other call that reaches the database ({@link DatabaseBoundary}): a turn that the database
   * failed transiently and rolled back (a deadlock with another transaction, SQLite busy because
   * another process committed between the turn's read and its write, a lost connection) is tried
   * again before its caller sees the failure. A backup's or a restore's anchor waits for the turn,
   * and must not fail for what a second attempt mends.
   */
  @ApplicationScoped
  @DatabaseBoundary
  public static class Turn {

    private RecordStore store;
    private LedgerStore ledger;
    private AuditKey key;
    private AuditDigests digests;

    protected Turn() {}

    @Inject
    public Turn(RecordStore store, LedgerStore ledger, AuditKey key, AuditDigests digests) {
      this.store = store;
      this.ledger = ledger;
      this.key = key;
      this.digests = digests;
    }

    /**
     * Seals one block of the oldest unsealed entries, if any, after completing a block that an
     * interrupted turn left unfinished.
     *
     * <p>The turn first takes the lease in the state row; only then does it read what to seal, so
     * that no other sealer places entries meanwhile. Then it places the entries, stores the block,
     * and moves the state to it, in that order: on a store without transactions, a crash at any
     * point leaves what the next turn completes ({@link #completeInterrupted}).
     *
     * @param sealer this instance's name, for the lease
     * @return how many entries were sealed (0 when none waited, or another sealer has the turn)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int seal(int blockSize, String sealer) {
      if (unsealed(1).isEmpty()) {
        return 0;
      }
      Optional<AuditLedgerState> found =
          store.findForUpdate(AuditLedgerState.LEDGER, AuditLedgerState.ID);
      if (behindItsDigest(found.map(AuditLedgerState::lastBlock).orElse(0L))) {
        return 0;
      }
      AuditLedgerState state = claim(found, sealer);
      if (state == null || !completeInterrupted(state)) {
        return 0;
      }
      List<AccessLog> waiting = authentic(unsealed(blockSize));
      if (waiting.isEmpty()) {
        return 0;
      }
      AuditBlock block = blockOf(state.lastBlock() + 1, state, waiting);
      ledger.placeInBlock(block.number(), waiting.stream().map(AccessLog::getId).toList());
      store.insert(AuditBlock.BLOCKS, List.of(block));
      state.sealed(block);
      store.update(AuditLedgerState.LEDGER, state);
      return waiting.size();
    }

    private AuditBlock blockOf(long number, AuditLedgerState state, List<AccessLog> entries) {
      return new AuditBlock(
          number,
          state.lastHash(),
          state.totalEntries(),
          entries.stream().map(AccessLog::timestamp).min(Instant::compareTo).orElseThrow(),
          entries.stream().map(AccessLog::timestamp).max(Instant::compareTo).orElseThrow(),
          entries.stream().map(AccessLog::mac).toList(),
          key);
    }

    /**
     * Takes the turn: the state row (read locked where the backend locks rows), with this sealer's
     * lease written into it; made on the first turn ever. Null when another sealer holds the lease,
     * or won the row first.
     */
    private AuditLedgerState claim(Optional<AuditLedgerState> found, String sealer) {
      Instant now = Instant.now();
      if (found.isEmpty()) {
        AuditLedgerState first = AuditLedgerState.empty();
        first.lease(sealer, now.plus(LEASE));
        try {
          store.insert(AuditLedgerState.LEDGER, List.of(first));
        } catch (RuntimeException anotherSealerMadeItFirst) {
          return null; // the very first turn of two instances at once: the other one has it
        }
        return first;
      }
      AuditLedgerState state = found.get();
      if (!state.leasableBy(sealer, now)) {
        return null;
      }
      state.lease(sealer, now.plus(LEASE));
      try {
        store.update(AuditLedgerState.LEDGER, state);
      } catch (VersionConflictException anotherSealer) {
        return null;
      }
      return state;
    }

    /**
     * A turn that died after placing its entries left the next block unfinished: if the block was
     * stored, the state is moved to it; if not, it is built from the entries placed in it. (Only a
     * store without transactions can be left so; elsewhere the whole turn rolled back.) Answers
     * false when the state names a block that is gone: sealing then stops, so that no new block
     * hides the loss, and verification reports it.
     */
    private boolean completeInterrupted(AuditLedgerState state) {
      long last = state.lastBlock();
      if (last >= state.firstBlock()
          && store.findById(AuditBlock.BLOCKS, AuditBlock.idOf(last)).isEmpty()) {
        LOG.severe(
            "The audit ledger's state names block "
                + last
                + ", which is gone: sealing stops until the ledger is repaired, so that no new"
                + " block hides the loss (verification reports it)");
        return false;
      }
      long next = last + 1;
      Optional<AuditBlock> stored = store.findById(AuditBlock.BLOCKS, AuditBlock.idOf(next));
      if (stored.isEmpty()) {
        List<AccessLog> placed = placedIn(next);
        if (placed.isEmpty()) {
          return true;
        }
        stored = Optional.of(blockOf(next, state, placed));
        store.insert(AuditBlock.BLOCKS, List.of(stored.get()));
      }
      state.sealed(stored.get());
      store.update(AuditLedgerState.LEDGER, state);
      LOG.warning("Completed audit block " + next + ", left unfinished by an interrupted turn");
      return true;
    }

    /**
     * Whether the ledger ends before the latest digest: blocks were removed from its end, or an
     * older state restored. Sealing then stops, so that no new block takes the number of a lost one
     * and hides the loss, until the digests show the ledger whole again (the lost blocks put back,
     * or a forced restore, which writes a digest of what it restored).
     */
    private boolean behindItsDigest(long lastBlock) {
      Optional<AuditDigests.Digest> digest;
      try {
        digest = digests.latest();
      } catch (IllegalStateException altered) {
        LOG.severe(altered.getMessage() + ": sealing stops until the digests are repaired");
        return true;
      }
      if (digest.isPresent() && digest.get().block() > lastBlock) {
        LOG.severe(
            "The audit ledger ends at block "
                + lastBlock
                + " but its latest digest names block "
                + digest.get().block()
                + ": sealing stops until the ledger is whole again (verification reports it)");
        return true;
      }
      return false;
    }

    private List<AccessLog> unsealed(int limit) {
      return store.find(AccessLogs.COLLECTION, LedgerQueries.unsealedOldestFirst(limit));
    }

    private List<AccessLog> placedIn(long block) {
      return store.find(AccessLogs.COLLECTION, LedgerQueries.entriesOf(block));
    }

    /** The entries whose MAC holds; the others are left out of every block, and logged. */
    private List<AccessLog> authentic(List<AccessLog> entries) {
      List<AccessLog> authentic = new ArrayList<>(entries.size());
      for (AccessLog entry : entries) {
        if (entry.authentic(key)) {
          authentic.add(entry);
        } else {
          LOG.severe(
              "Audit entry "
                  + entry.getId()
                  + " does not match its MAC: not sealed (written without the audit key?)");
        }
      }
      return authentic;
    }
  }
}
