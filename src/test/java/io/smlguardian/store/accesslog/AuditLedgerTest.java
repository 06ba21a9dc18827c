package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.testsupport.InProcessMongo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's own logic (canonical form, MACs, sealing into blocks, verification) in process, on
 * the MongoDB store against an in-process server: the backend without transactions, where sealing
 * must be idempotent and sealers must take turns by the state row alone.
 */
class AuditLedgerTest {

  private static final AuditKey KEY =
      new AuditKey(Base64.getEncoder().encodeToString(new byte[32]));
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @RegisterExtension static final InProcessMongo MONGO = new InProcessMongo();

  @TempDir Path digestDir;
  private MongoDatabase database;
  private MongoRecordStore store;
  private AuditDigests digests;
  private AuditSealer.Turn turn;
  private AuditVerifier verifier;

  @BeforeEach
  void newLedger() {
    database = MONGO.newDatabase("ledger_");
    List<CollectionDescriptor<?>> tables =
        List.of(AccessLogs.COLLECTION, AuditBlock.BLOCKS, AuditLedgerState.LEDGER);
    store = new MongoRecordStore(database, tables);
    digests = new AuditDigests(KEY, digestDir.toString(), "PT1M");
    turn = new AuditSealer.Turn(store, store, KEY, digests);
    verifier = new AuditVerifier(new AuditVerifier.Reads(store, store), KEY, digests, null);
  }

  @AfterEach
  void dropLedger() {
    database.drop();
  }

  private static AccessLog entry(String user, int n) {
    return new AccessLog(
        user, "svc", "read", "memories", "read", T0.plusMillis(n), "10.0.0.1", true, null);
  }

  private List<AccessLog> write(int users, int perUser) {
    List<AccessLog> entries = new ArrayList<>();
    for (int n = 0; n < users * perUser; n++) {
      AccessLog entry = entry("user-" + (n % users), n);
      entry.seal(KEY);
      entries.add(entry);
    }
    store.insert(AccessLogs.COLLECTION, entries);
    return entries;
  }

  private int sealAll(int blockSize, String sealer) {
    int sealed = 0;
    for (int n; (n = turn.seal(blockSize, sealer)) > 0; ) {
      sealed += n;
    }
    return sealed;
  }

  private List<String> kinds(AuditVerifier.LedgerVerification verification) {
    return verification.problems().stream().map(AuditVerifier.Problem::kind).toList();
  }

  @Test
  void requestsWithoutATokenAreRecordedOneByOneUpToTheShareOfTheirAddressAndMinute() {
    AnonymousRefusals refusals = new AnonymousRefusals(3);
    Instant minute = T0.plusSeconds(5);

    List<Boolean> counted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      counted.add(refusals.counted("10.0.0.9", minute.plusSeconds(i)));
    }

    assertThat(counted).containsExactly(false, false, false, true, true);
    assertThat(refusals.counted("10.0.0.10", minute)).as("another address").isFalse();
    assertThat(refusals.counted("10.0.0.9", minute.plusSeconds(60)))
        .as("the next minute")
        .isFalse();
  }

  @Test
  void theCanonicalFormIsUnambiguous() {
    byte[] nullReason = new Canonical("t").add((String) null).bytes();
    byte[] textNull = new Canonical("t").add("null").bytes();
    byte[] splitOne = new Canonical("t").add("a\u001fb").add("c").bytes();
    byte[] splitTwo = new Canonical("t").add("a").add("b\u001fc").bytes();

    assertThat(nullReason).isNotEqualTo(textNull);
    assertThat(splitOne).isNotEqualTo(splitTwo);
  }

  @Test
  void anEntrysMacCoversItsVersionAndItsTimeToTheMicrosecond() {
    AccessLog entry = entry("u", 0);
    entry.seal(KEY);
    AccessLog later =
        new AccessLog(
            "u",
            "svc",
            "read",
            "memories",
            "read",
            T0.plus(1, ChronoUnit.MICROS),
            "10.0.0.1",
            true,
            null);

    assertThat(KEY.mac(AuditKey.ENTRY, entry.canonical(1))).isEqualTo(entry.mac());
    assertThat(KEY.mac(AuditKey.ENTRY, entry.canonical(2))).isNotEqualTo(entry.mac());
    later.seal(KEY);
    assertThat(later.mac()).isNotEqualTo(entry.mac());
  }

  @Test
  void aValueTooLongForItsColumnIsCutAndMarkedNotDropped() {
    AccessLog entry =
        new AccessLog("u", "svc", "read", null, "GET /" + "x".repeat(500), T0, null, false, null);

    assertThat(entry.operation()).hasSize(256).endsWith(AccessLog.TRUNCATED);
  }

  @Test
  void aShortOrMissingKeyIsRefused() {
    assertThatThrownBy(() -> new AuditKey(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("at least 32 bytes");
    assertThat(KEY.id())
        .hasSize(16)
        .doesNotContain(Base64.getEncoder().encodeToString(new byte[32]));
  }

  @Test
  void entriesAreSealedIntoChainedBlocksThatVerify() {
    write(50, 50); // 2,500 entries of 50 users

    assertThat(sealAll(1000, "a")).isEqualTo(2500);

    AuditVerifier.LedgerVerification ledger = verifier.verifyLedger();
    assertThat(ledger.problems()).isEmpty();
    assertThat(ledger.blocks()).isEqualTo(3);
    assertThat(ledger.entries()).isEqualTo(2500);
    assertThat(verifier.verifyUser("user-7").valid()).isTrue();
    assertThat(verifier.verifyUser("user-7").sealed()).isEqualTo(50);
  }

  @Test
  void anAlteredEntryIsFoundWithItsBlock() {
    List<AccessLog> entries = write(5, 10);
    sealAll(1000, "a");
    String altered = entries.get(17).getId().toString();

    database
        .getCollection("access_logs")
        .updateOne(Filters.eq("_id", altered), Updates.set("principal", "someone-else"));

    assertThat(verifier.verifyLedger().problems())
        .extracting(AuditVerifier.Problem::kind, AuditVerifier.Problem::entryId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("altered", altered));
    assertThat(verifier.verifyUser("user-2").valid()).isFalse();
  }

  @Test
  void aTurnInterruptedAfterPlacingItsEntriesIsCompletedByTheNext() {
    List<AccessLog> entries = write(3, 10);
    // What a crash between placing the entries and storing the block leaves:
    store.placeInBlock(1, entries.stream().map(AccessLog::getId).toList());

    write(3, 2);
    assertThat(sealAll(1000, "a")).isEqualTo(6);

    AuditVerifier.LedgerVerification ledger = verifier.verifyLedger();
    assertThat(ledger.problems()).isEmpty();
    assertThat(ledger.blocks()).isEqualTo(2);
    assertThat(ledger.entries()).isEqualTo(36);
  }

  @Test
  void sealersOfSeveralInstancesTakeTurnsAndSealEachEntryOnce() throws Exception {
    write(20, 100);
    ExecutorService instances = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> sealed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String name = "instance-" + i;
        sealed.add(instances.submit(() -> sealAll(100, name)));
      }
      int total = 0;
      for (Future<Integer> each : sealed) {
        total += each.get();
      }
      // The lease keeps the turn with whoever took it first; the others seal nothing meanwhile.
      assertThat(total).isEqualTo(2000);
    } finally {
      instances.shutdown();
    }
    assertThat(verifier.verifyLedger().problems()).isEmpty();
  }

  @Test
  void retentionRemovesWholeBlocksAndWhatRemainsStillVerifies() {
    write(10, 30); // 300 entries, T0 to T0 + 299 ms
    sealAll(100, "a"); // blocks 1-3, each of 100 entries in time order
    AuditLedger ledger =
        new AuditLedger(null, digests, null, new AuditLedger.Reads(store, KEY), store);
    Instant cutoff = T0.plusMillis(250); // block 3 has entries on both sides: it stays whole

    assertThat(ledger.retireBlocksBefore(cutoff, true)).isEqualTo(2);
    assertThat(verifier.verifyLedger().blocks()).isEqualTo(3); // a dry run retires nothing
    long retired = ledger.retireBlocksBefore(cutoff, false);
    long purged =
        store.deleteMatching(
            AccessLogs.COLLECTION,
            List.of(
                new io.smlguardian.store.collection.query.Filter(
                    "block",
                    io.smlguardian.store.collection.query.FilterOperator.LTE,
                    false,
                    List.of(retired))));

    assertThat(retired).isEqualTo(2);
    assertThat(purged).isEqualTo(200);
    AuditVerifier.LedgerVerification ledgerAfter = verifier.verifyLedger();
    assertThat(ledgerAfter.problems()).isEmpty();
    assertThat(ledgerAfter.blocks()).isEqualTo(1);
    assertThat(ledgerAfter.entries()).isEqualTo(100);
    write(1, 5);
    sealAll(100, "a");
    assertThat(verifier.verifyLedger().problems()).isEmpty();
    assertThat(verifier.verifyUser("user-3").valid()).isTrue();
  }

  @Test
  void aLedgerBehindItsDigestIsReportedAndNotExtended() {
    write(2, 5);
    sealAll(4, "a");
    digests.write(new AuditLedger.Reads(store, KEY).state(), "test");
    long last = new AuditLedger.Reads(store, KEY).state().lastBlock();

    store.deleteMatching(AuditBlock.BLOCKS, List.of());
    store.deleteMatching(AuditLedgerState.LEDGER, List.of());
    store.deleteMatching(AccessLogs.COLLECTION, List.of());
    write(1, 3);

    assertThat(sealAll(100, "a")).isZero();
    assertThat(kinds(verifier.verifyLedger())).contains("truncated");
    assertThat(verifier.verifyLedger().digest().orElseThrow().block()).isEqualTo(last);
  }

  /**
   * A restore keeps the store's trail when it already holds the archive's (same block, same hash);
   * otherwise the archive's replaces it, and the plan says whether that loses anchored blocks.
   */
  @Test
  void aRestoreKeepsATrailThatHoldsTheArchivesAndTellsWhenLoadingOneRollsBack() {
    write(2, 50);
    sealAll(40, "a");
    AuditLedgerState archived =
        store.findById(AuditLedgerState.LEDGER, AuditLedgerState.ID).orElseThrow();
    write(2, 50);
    sealAll(40, "a");
    AuditLedger.Reads reads = new AuditLedger.Reads(store, KEY);
    digests.write(reads.state(), "test");
    AuditLedger ledger = new AuditLedger(null, digests, null, reads, store);
    AuditLedgerState foreign =
        store.findById(AuditLedgerState.LEDGER, AuditLedgerState.ID).orElseThrow();
    AuditLedgerState.LEDGER
        .schema()
        .field("lastBlock")
        .orElseThrow()
        .write(foreign, archived.lastBlock());
    AuditLedgerState.LEDGER.schema().field("lastHash").orElseThrow().write(foreign, "f".repeat(64));

    AuditLedger.RestorePlan same = ledger.planRestore(Optional.of(archived));
    AuditLedger.RestorePlan other = ledger.planRestore(Optional.of(foreign));
    AuditLedger.RestorePlan none = ledger.planRestore(Optional.empty());

    assertThat(archived.lastBlock()).isEqualTo(3);
    assertThat(same.keepCurrent()).isTrue();
    assertThat(same.rollsBack()).isFalse();
    assertThat(same.describe()).contains("kept");
    assertThat(other.keepCurrent()).isFalse();
    assertThat(other.archivedBlock()).isEqualTo(3);
    assertThat(other.anchoredBlock()).isEqualTo(6);
    assertThat(other.rollsBack()).isTrue();
    assertThat(none.keepCurrent()).isFalse();
    assertThat(none.archivedBlock()).isZero();
    assertThat(none.rollsBack()).isTrue();
  }
}
