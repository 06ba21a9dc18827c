package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Verifies the audit ledger, whole or for one user, and says what does not hold and where:
 *
 * <ul>
 *   <li><b>altered</b>: an entry whose content no longer matches its MAC (or a forged one, made
 *       without the audit key), or a block whose stored fields no longer match its hash;
 *   <li><b>deleted</b> / <b>inserted</b>: a block holding fewer or more entries than it sealed, or
 *       a gap in its positions; a block missing from the middle of the chain;
 *   <li><b>reordered</b>: a block's entries, each intact, in another order than sealed;
 *   <li><b>truncated</b>: blocks missing from the end, against the ledger's state or, beyond what
 *       the database alone can show, against the latest digest exported outside it ({@link
 *       AuditDigests}); a ledger deleted whole, or a restore of an older backup, shows there.
 * </ul>
 *
 * Entries written before the ledger keep their legacy per-user hash chain and are verified by it.
 * Each step reads in a short transaction of its own, so a verification of a large ledger never
 * holds a connection (SQLite's only one) for long.
 */
@ApplicationScoped
public class AuditVerifier {

  private static final int PAGE = 1000;

  /**
   * What does not hold.
   *
   * @param kind altered, deleted, inserted, reordered, truncated, forged, digest
   * @param block the block concerned, if any
   * @param entryId the entry concerned, if any
   * @param detail what was found
   */
  @JsonbPropertyOrder({"kind", "block", "entryId", "detail"})
  public record Problem(String kind, Long block, String entryId, String detail) {}

  /**
   * The verification of the whole ledger.
   *
   * @param blocks how many blocks were checked
   * @param entries how many sealed entries were checked
   * @param unsealed entries written but not yet sealed (checked against their MACs)
   * @param digest the latest exported digest it was compared with, if there is one
   */
  public record LedgerVerification(
      long blocks,
      long entries,
      long unsealed,
      Optional<AuditDigests.Digest> digest,
      List<Problem> problems) {

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /**
   * The verification of one user's entries: every entry's MAC, every block that holds one of them
   * (whole, with its link to the block before), and the legacy chain of entries written before the
   * ledger.
   */
  public record UserVerification(
      String user, long entries, long sealed, long legacy, List<Problem> problems) {

    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private Reads reads;
  private AuditKey key;
  private AuditDigests digests;
  private AuditTrail trail;

  protected AuditVerifier() {}

  @Inject
  public AuditVerifier(Reads reads, AuditKey key, AuditDigests digests, AuditTrail trail) {
    this.reads = reads;
    this.key = key;
    this.digests = digests;
    this.trail = trail;
  }

  /** Verifies the whole ledger for an auditor, whose access is recorded like any other. */
  public LedgerVerification verifyLedger(Caller auditor) {
    LedgerVerification result = verifyLedger();
    trail.accessed(auditor, AccessLogs.COLLECTION, AccessOperation.VERIFY, Set.of());
    return result;
  }

  /** Verifies one user's entries for an auditor, whose access is recorded like any other. */
  public UserVerification verifyUser(Caller auditor, String user) {
    UserVerification result = verifyUser(user);
    trail.accessed(auditor, AccessLogs.COLLECTION, AccessOperation.VERIFY, Set.of(user));
    return result;
  }

  LedgerVerification verifyLedger() {
    List<Problem> problems = new ArrayList<>();
    Optional<AuditLedgerState> state = reads.state();
    long firstBlock = state.map(AuditLedgerState::firstBlock).orElse(1L);
    String expectedPrevious =
        state.map(AuditLedgerState::checkpointHash).orElse(AuditBlock.GENESIS);
    long expectedNumber = firstBlock;
    long blocks = 0;
    long entries = 0;
    AuditBlock last = null;
    for (List<AuditBlock> page = reads.blocksFrom(firstBlock);
        !page.isEmpty();
        page = reads.blocksFrom(page.get(page.size() - 1).number() + 1)) {
      for (AuditBlock block : page) {
        if (block.number() != expectedNumber) {
          problems.add(
              new Problem(
                  "deleted",
                  expectedNumber,
                  null,
                  "blocks "
                      + expectedNumber
                      + " to "
                      + (block.number() - 1)
                      + " are missing from the middle of the chain"));
        } else if (!block.previousHash().equals(expectedPrevious)) {
          problems.add(
              new Problem(
                  "altered",
                  block.number(),
                  null,
                  "the block does not link to the hash of the block before it"));
        }
        entries += verifyBlock(block, problems);
        blocks++;
        expectedNumber = block.number() + 1;
        expectedPrevious = block.hash();
        last = block;
      }
    }
    long lastNumber = last == null ? firstBlock - 1 : last.number();
    state.ifPresent(
        s -> {
          if (s.lastBlock() > lastNumber) {
            problems.add(
                new Problem(
                    "truncated",
                    lastNumber + 1,
                    null,
                    "the ledger's state ends at block "
                        + s.lastBlock()
                        + ", but the last block found is "
                        + lastNumber));
          }
        });
    long unsealed = verifyUnsealed(problems);
    Optional<AuditDigests.Digest> digest = Optional.empty();
    try {
      digest = digests.latest();
    } catch (IllegalStateException e) {
      problems.add(new Problem("digest", null, null, e.getMessage()));
    }
    digest.ifPresent(d -> compareWithDigest(d, lastNumber, problems));
    return new LedgerVerification(blocks, entries, unsealed, digest, problems);
  }

  /** What the database alone cannot show: the ledger ends before, or differs from, the digest. */
  private void compareWithDigest(AuditDigests.Digest digest, long lastNumber, List<Problem> found) {
    if (digest.block() == 0) {
      return;
    }
    if (digest.block() > lastNumber) {
      found.add(
          new Problem(
              "truncated",
              lastNumber + 1,
              null,
              "the digest of "
                  + digest.time()
                  + " names block "
                  + digest.block()
                  + " ("
                  + digest.entries()
                  + " entries), but the ledger ends at block "
                  + lastNumber
                  + ": blocks were removed from its end, or an older state was restored"));
      return;
    }
    Optional<AuditBlock> anchored = reads.block(digest.block());
    if (anchored.isEmpty()) {
      return; // removed by retention: the checkpoint took its place
    }
    if (!anchored.get().hash().equals(digest.hash())
        || anchored.get().totalEntries() != digest.entries()) {
      found.add(
          new Problem(
              "altered",
              digest.block(),
              null,
              "the block differs from the digest of "
                  + digest.time()
                  + ": the chain was rewritten from there on"));
    }
  }

  /**
   * Checks one block's entries against it: their positions, their MACs, their order, and the
   * block's hash over them. Returns how many entries it holds.
   */
  private long verifyBlock(AuditBlock block, List<Problem> problems) {
    List<AccessLog> entries = reads.entriesOf(block.number());
    int before = problems.size();
    List<String> macs = new ArrayList<>(entries.size());
    long expectedPosition = 0;
    for (AccessLog entry : entries) {
      String id = entry.getId().toString();
      if (entry.position() == null || entry.position() != expectedPosition) {
        problems.add(
            new Problem(
                entry.position() != null && entry.position() < expectedPosition
                    ? "inserted"
                    : "deleted",
                block.number(),
                id,
                "position "
                    + entry.position()
                    + " where "
                    + expectedPosition
                    + " was expected: entries are missing or were added"));
        expectedPosition = entry.position() == null ? expectedPosition : entry.position();
      }
      expectedPosition++;
      if (!entry.authentic(key)) {
        problems.add(
            new Problem(
                "altered",
                block.number(),
                id,
                "the entry does not match its MAC: altered, or forged without the audit key"));
      }
      macs.add(entry.mac());
    }
    checkOwnerRows(entries, block.number(), problems);
    if (entries.size() != block.entries()) {
      problems.add(
          new Problem(
              entries.size() < block.entries() ? "deleted" : "inserted",
              block.number(),
              null,
              "the block sealed " + block.entries() + " entries; " + entries.size() + " remain"));
    }
    if (problems.size() == before && !block.hash().equals(block.computeHash(key, macs))) {
      List<AccessLog> sealedOrder = new ArrayList<>(entries);
      // The sealer's order: time, then id as the databases order uuids (their text's order).
      sealedOrder.sort(
          Comparator.comparing(AccessLog::timestamp).thenComparing(e -> e.getId().toString()));
      boolean reordered =
          !sealedOrder.equals(entries)
              && block
                  .hash()
                  .equals(
                      block.computeHash(key, sealedOrder.stream().map(AccessLog::mac).toList()));
      problems.add(
          reordered
              ? new Problem(
                  "reordered",
                  block.number(),
                  null,
                  "the block's entries are intact but no longer in their sealed order")
              : new Problem(
                  "altered",
                  block.number(),
                  null,
                  "the block's fields do not match its hash: the block was altered"));
    }
    return entries.size();
  }

  /**
   * Holds the owner table's rows of the entries, where the store keeps one, against the users each
   * entry names (which its MAC covers): a row deleted hides an entry from its user's reads and
   * export, one added shows it to another user.
   */
  private void checkOwnerRows(List<AccessLog> entries, Long block, List<Problem> problems) {
    if (entries.isEmpty()) {
      return;
    }
    Optional<Map<UUID, Set<String>>> listed =
        reads.listedOwners(entries.stream().map(AccessLog::getId).toList());
    if (listed.isEmpty()) {
      return;
    }
    for (AccessLog entry : entries) {
      Set<String> named = new TreeSet<>(entry.owners());
      Set<String> rows = listed.get().getOrDefault(entry.getId(), Set.of());
      if (!named.equals(rows)) {
        problems.add(
            new Problem(
                rows.containsAll(named) ? "inserted" : "deleted",
                block,
                entry.getId().toString(),
                "the owner table's rows for the entry do not list exactly the users it names: a"
                    + " user's reads and export would miss it, or find it"));
      }
    }
  }

  /** Entries waiting for the sealer must match their MACs already; returns how many wait. */
  private long verifyUnsealed(List<Problem> problems) {
    long count = 0;
    AccessLog after = null;
    for (List<AccessLog> page = reads.unsealedAfter(null);
        !page.isEmpty();
        page = reads.unsealedAfter(after)) {
      checkOwnerRows(page, null, problems);
      for (AccessLog entry : page) {
        count++;
        if (!entry.authentic(key)) {
          problems.add(
              new Problem(
                  "forged",
                  null,
                  entry.getId().toString(),
                  "an entry waiting to be sealed does not match its MAC: made or altered without"
                      + " the audit key"));
        }
      }
      after = page.get(page.size() - 1);
      if (page.size() < PAGE) {
        break;
      }
    }
    for (AccessLog entry : reads.unlinked()) {
      problems.add(
          new Problem(
              "forged",
              null,
              entry.getId().toString(),
              "an entry with neither a MAC nor a place in a legacy chain: not written by the"
                  + " store"));
    }
    return count;
  }

  UserVerification verifyUser(String user) {
    List<Problem> problems = new ArrayList<>();
    TreeSet<Long> blocks = new TreeSet<>();
    long entries = 0;
    long sealed = 0;
    // The block a sealer may be storing now: a turn places its entries before it stores their
    // block (in one transaction on SQL, one after the other on MongoDB), so entries may name it
    // before it exists. Read before the entries: a block finished meanwhile is found below.
    long sealing = reads.state().map(AuditLedgerState::lastBlock).orElse(0L) + 1;
    for (List<AccessLog> page = reads.ofUser(user, null);
        !page.isEmpty();
        page = reads.ofUser(user, page.get(page.size() - 1))) {
      for (AccessLog entry : page) {
        if (entry.mac() == null && entry.block() == null && entry.seq() == null) {
          problems.add(
              new Problem(
                  "forged",
                  null,
                  entry.getId().toString(),
                  "an entry with neither a MAC nor a place in a legacy chain"));
          continue;
        }
        if (!entry.owners().contains(user)) {
          // Its MAC covers whom it names; the owner table's row that led here does not.
          problems.add(
              new Problem(
                  "altered",
                  null,
                  entry.getId().toString(),
                  "the owner table lists the entry under this user, whom it does not name"));
          continue;
        }
        if (entry.mac() == null) {
          continue; // legacy: verified below by its chain
        }
        entries++;
        if (entry.block() != null) {
          sealed++;
          blocks.add(entry.block());
        }
        if ((entry.block() == null || entry.block() == sealing) && !entry.authentic(key)) {
          problems.add(
              new Problem(
                  "forged",
                  null,
                  entry.getId().toString(),
                  "an entry waiting to be sealed does not match its MAC"));
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    long firstKept = reads.state().map(AuditLedgerState::firstBlock).orElse(1L);
    for (long number : blocks) {
      if (number < firstKept) {
        continue; // retired by retention: its entries wait for the purge, each still has its MAC
      }
      Optional<AuditBlock> block = reads.block(number);
      if (block.isEmpty() && number == sealing) {
        continue; // being stored by a sealer's turn (its entries' MACs were checked above)
      }
      if (block.isEmpty()) {
        problems.add(
            new Problem(
                "deleted", number, null, "entries name block " + number + ", which is gone"));
        continue;
      }
      Optional<AuditBlock> previous = reads.block(number - 1);
      if (previous.isPresent() && !block.get().previousHash().equals(previous.get().hash())) {
        problems.add(
            new Problem(
                "altered",
                number,
                null,
                "the block does not link to the hash of the block before"));
      }
      verifyBlock(block.get(), problems);
    }
    LegacyChain legacy = verifyLegacy(user);
    legacy.problem().ifPresent(problems::add);
    return new UserVerification(
        user, entries + legacy.entries(), sealed, legacy.entries(), problems);
  }

  private record LegacyChain(long entries, Optional<Problem> problem) {}

  /**
   * Walks a user's legacy chain (entries from before the ledger) from its first entry, recomputing
   * every unkeyed hash, and reports the first link that does not hold.
   */
  private LegacyChain verifyLegacy(String chain) {
    long expectedSeq = 1;
    String previousHash = AuditChainHead.GENESIS;
    long checked = 0;
    Long after = null;
    while (true) {
      List<AccessLog> page = reads.legacyChain(chain, after);
      for (AccessLog entry : page) {
        checked++;
        String id = String.valueOf(entry.getId());
        if (entry.seq() != expectedSeq) {
          return new LegacyChain(
              checked,
              Optional.of(
                  new Problem(
                      "deleted",
                      null,
                      null,
                      "legacy entry "
                          + expectedSeq
                          + " is missing (next found: "
                          + entry.seq()
                          + ")")));
        }
        if (!previousHash.equals(entry.prevHash())
            || !LegacyHash.of(previousHash, entry.legacyCanonical()).equals(entry.hash())) {
          return new LegacyChain(
              checked,
              Optional.of(
                  new Problem(
                      "altered",
                      null,
                      id,
                      "legacy entry " + expectedSeq + " does not match its hash")));
        }
        previousHash = entry.hash();
        expectedSeq++;
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    long last = expectedSeq - 1;
    Optional<AuditChainHead> head = reads.legacyHead(chain);
    if (head.isPresent() && (head.get().seq() != last || !head.get().hash().equals(previousHash))) {
      return new LegacyChain(
          checked,
          Optional.of(
              new Problem(
                  "truncated",
                  null,
                  null,
                  "the legacy chain's head is at entry "
                      + head.get().seq()
                      + ", but the last entry found is "
                      + last)));
    }
    return new LegacyChain(checked, Optional.empty());
  }

  /** The verifier's reads, each a short transaction of its own. */
  @ApplicationScoped
  @Transactional
  @DatabaseBoundary
  public static class Reads {

    private RecordStore store;
    private LedgerStore ledger;

    protected Reads() {}

    @Inject
    public Reads(RecordStore store, LedgerStore ledger) {
      this.store = store;
      this.ledger = ledger;
    }

    public Optional<Map<UUID, Set<String>>> listedOwners(List<UUID> entries) {
      return ledger.listedOwners(entries);
    }

    public Optional<AuditLedgerState> state() {
      return store.findById(AuditLedgerState.LEDGER, AuditLedgerState.ID);
    }

    public Optional<AuditBlock> block(long number) {
      return store.findById(AuditBlock.BLOCKS, AuditBlock.idOf(number));
    }

    public List<AuditBlock> blocksFrom(long number) {
      return store.find(AuditBlock.BLOCKS, LedgerQueries.blocks(number, Long.MAX_VALUE, PAGE));
    }

    public List<AccessLog> entriesOf(long block) {
      return store.find(AccessLogs.COLLECTION, LedgerQueries.entriesOf(block));
    }

    public List<AccessLog> unsealedAfter(AccessLog after) {
      return store.find(
          AccessLogs.COLLECTION,
          afterPage(List.of(LedgerQueries.isNull("block"), LedgerQueries.isNotNull("mac")), after));
    }

    /** Entries outside every block with neither a MAC nor a legacy chain position (forged). */
    public List<AccessLog> unlinked() {
      return store.find(
          AccessLogs.COLLECTION,
          new RecordQuery(
              List.of(
                  LedgerQueries.isNull("block"),
                  LedgerQueries.isNull("mac"),
                  LedgerQueries.isNull("seq")),
              List.of(SortOrder.asc("id")),
              PAGE,
              0,
              List.of()));
    }

    public List<AccessLog> ofUser(String user, AccessLog after) {
      List<Filter> filters = new ArrayList<>();
      filters.add(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(user)));
      return store.find(AccessLogs.COLLECTION, afterPage(filters, after));
    }

    /** The next page in id order after an entry: the order does not matter to a check. */
    private static RecordQuery afterPage(List<Filter> filters, AccessLog after) {
      List<Filter> next = new ArrayList<>(filters);
      if (after != null) {
        next.add(new Filter("id", FilterOperator.GT, false, List.of(after.getId())));
      }
      return new RecordQuery(next, List.of(SortOrder.asc("id")), PAGE, 0, List.of());
    }

    public List<AccessLog> legacyChain(String chain, Long after) {
      List<Filter> filters = new ArrayList<>();
      filters.add(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(chain)));
      filters.add(
          new Filter(
              "seq",
              after == null ? FilterOperator.IS : FilterOperator.GT,
              after == null,
              Arrays.asList((Object) after)));
      return store.find(
          AccessLogs.COLLECTION,
          new RecordQuery(filters, List.of(SortOrder.asc("seq")), PAGE, 0, List.of()));
    }

    public Optional<AuditChainHead> legacyHead(String chain) {
      return store.findById(AuditChainHead.HEADS, AuditChainHead.idOf(chain));
    }
  }
}
