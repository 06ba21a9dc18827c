package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backup and restore against what PostgreSQL itself holds: a seeded store backed up, wiped with SQL
 * and restored has every row of every table back, byte for byte (a checksum per table); the same
 * backup restores into the SQLite, memory (H2) and MongoDB servers with every record equal through
 * the API, and a SQLite server's backup moves its store into PostgreSQL; an encrypted backup (the
 * memory server's) is refused by this server, which lacks its key, with nothing changed; a user
 * erased after a backup stays erased when it is restored, and records past their retention are not
 * brought back.
 *
 * <p>Runs in the postgresql run only, where the other servers are up but have not been tested yet
 * (their stores are empty), so the first restore there goes into an empty store.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRoundTripIT {

  private static final List<String> TABLES = Samples.BACKUP_TABLES;

  /**
   * The audit ledger's own tables: the legacy chain heads (none on a store that never had them),
   * and the blocks and state, which the sealer moves on its own time. The ledger's verification
   * checks them instead of a checksum.
   */
  private static final List<String> LEDGER_TABLES =
      List.of("audit_chains", "audit_blocks", "audit_ledger");

  private static final BackupClient POSTGRESQL = BackupClient.ofServerUnderTest();
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-backup-officer", "privacy-officer"));
  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-backup-auditor", "auditor"));
  private static final Path BACKUP_DIR = Path.of(System.getProperty("guardian.backupDir"));

  @Test
  @Order(1)
  void aWipedStoreGetsEveryRowOfEveryTableBack() throws Exception {
    // A ledger anchored by a digest, then lost: whatever ran before, the wipe loses what it names.
    seed(List.of("rt-lost-" + UUID.randomUUID()));
    Api.Reply anchored = AUDITOR.post("/api/audit/ledger/seal", "");
    assertThat(anchored.status()).as(anchored.toString()).isEqualTo(200);
    wipe();
    List<String> users = List.of("rt-" + UUID.randomUUID(), "rt-" + UUID.randomUUID());
    seed(users);
    OFFICER.send(
        "PUT",
        "/api/privacy/users/" + users.get(0) + "/hold",
        "application/json",
        "{\"reason\":\"case 7\"}");
    String gone = "rt-gone-" + UUID.randomUUID();
    seed(List.of(gone));
    assertThat(OFFICER.delete("/api/privacy/users/" + gone, null).status()).isEqualTo(200);
    java.time.Instant asOf = java.time.Instant.now();
    Map<String, String> before = checksums(asOf);
    for (String table : Samples.BACKUP_TABLES) {
      if (!LEDGER_TABLES.contains(table)) {
        assertThat(Database.rows(table)).as(table).isPositive();
      }
    }

    String id = POSTGRESQL.backUp().getString("backupId");
    wipe();
    // The wipe at the start lost the audit ledger that earlier digests anchored: the archive's
    // ledger ends before them, so the restore goes ahead only when forced, as after a real loss.
    Api.Reply unforced = POSTGRESQL.startRestore(id, false);
    JsonObject restore = POSTGRESQL.restore(id, false, true);

    assertThat(unforced.status()).as(unforced.toString()).isEqualTo(409);
    assertThat(unforced.object().getString("detail")).contains("roll the audit ledger back");
    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(checksums(asOf)).isEqualTo(before);
    assertThat(
            Database.single(
                "SELECT count(*) FROM access_logs WHERE access_type = 'restore' AND operation = ?",
                "forced restore " + id))
        .isEqualTo(1L);
    JsonObject ledger = AUDITOR.get("/api/audit/ledger/verification").object();
    assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
    for (String user : users) {
      JsonObject chain = AUDITOR.get("/api/audit/chains/" + user + "/verification").object();
      assertThat(chain.getBoolean("valid")).as(chain.toString()).isTrue();
    }
    JsonObject system = AUDITOR.get("/api/audit/chains/system/verification").object();
    assertThat(system.getBoolean("valid")).as(system.toString()).isTrue();
    assertThat(
            Database.single(
                "SELECT count(*) FROM access_logs WHERE access_type = 'restore' AND success"
                    + " AND operation = ?",
                "restore " + id))
        .isEqualTo(1L);
    // Sealed fields came back sealed, and open with the keys the store kept (archives hold none).
    assertThat(
            Database.single("SELECT patterns::text FROM memories WHERE user_id = ?", users.get(1)))
        .asString()
        .startsWith("\"gse1:");
    assertThat(POSTGRESQL.recordsOf("memories", users.get(1)).get(0).getJsonArray("patterns"))
        .isEqualTo(Samples.record("memories", users.get(1)).getJsonArray("patterns"));
    // A second restore without replace finds the store full.
    Api.Reply refused = POSTGRESQL.startRestore(id, false);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.object().getString("detail")).contains("not empty").contains("replace=true");
  }

  @Test
  @Order(2)
  void aBackupRestoresIntoTheOtherBackendsWithEveryRecordEqual() {
    Assumptions.assumeFalse(otherServers().isEmpty(), "the other backends' servers are not up");
    String user = "move-" + UUID.randomUUID();
    seed(List.of(user));
    JsonObject backup = POSTGRESQL.backUp();
    String id = backup.getString("backupId");
    byte[] archive = POSTGRESQL.download(id);
    assertThat((long) archive.length).isEqualTo(backup.getJsonNumber("size").longValue());

    for (String property : otherServers()) {
      BackupClient target = new BackupClient(System.getProperty(property));
      // The memory server encrypts its backups: it takes this plain archive only when told so
      // (ForgedArchiveIT shows the refusal and the audit); the others have no key, and the flag
      // changes nothing there.
      Api.Reply uploaded = target.upload(id, archive, true);
      assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
      assertThat(uploaded.object().getString("backend")).isEqualTo("postgresql");

      JsonObject restore = target.restore(id, false, false, true);
      // The users' keys travel apart from the archive: a key escrow, copied into the target's
      // KEY_DIR and imported there.
      String escrow = KeyOperator.ofServerUnderTest().writeEscrow();
      KeyOperator.copyEscrow(
          Path.of(System.getProperty("guardian.keyDir")),
          Path.of(System.getProperty(property.replace(".baseUrl", ".keyDir"))),
          escrow);
      Api.Reply imported = new KeyOperator(System.getProperty(property)).importEscrow(escrow);
      assertThat(imported.status()).as(imported.toString()).isEqualTo(200);

      assertThat(restore.getString("status")).as(property + " " + restore).isEqualTo("COMPLETED");
      JsonObject result = restore.getJsonObject("result");
      for (String collection : Samples.WRITABLE) {
        if (!collection.equals("metrics")) {
          assertThat(target.recordsOf(collection, user))
              .as(property + " " + collection)
              .isEqualTo(POSTGRESQL.recordsOf(collection, user))
              .isNotEmpty();
        }
      }
      // Every record of the backup is there, but for those the restore says it skipped.
      JsonObject skipped = result.getJsonObject("skipped");
      for (String collection : Samples.COLLECTIONS) {
        assertThat(count(result.getJsonObject("restored"), collection))
            .as(property + " " + collection)
            .isEqualTo(
                count(backup.getJsonObject("counts"), collection)
                    - count(skipped.getJsonObject("erased"), collection)
                    - count(skipped.getJsonObject("expired"), collection));
      }
    }
  }

  @Test
  @Order(3)
  void anEncryptedBackupIsRefusedWhereItsKeyIsMissingChangingNothing() throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("guardian.backends.skip"), "the memory server is not up");
    BackupClient memory = new BackupClient(System.getProperty("guardian.memory.baseUrl"));
    String user = "sealed-" + UUID.randomUUID();
    memory.insert("interactions", Samples.record("interactions", user));
    JsonObject backup = memory.backUp();
    String id = backup.getString("backupId");
    byte[] archive = memory.download(id);
    assertThat(new String(archive, StandardCharsets.ISO_8859_1)).doesNotContain(user);
    assertThat(memory.get("/api/backups/" + id).object().getBoolean("encrypted")).isTrue();
    assertThat(memory.verify(id).getBoolean("valid")).isTrue();
    java.time.Instant asOf = java.time.Instant.now();
    Map<String, String> before = checksums(asOf);

    Api.Reply uploaded = POSTGRESQL.upload(id, archive);
    Api.Reply verification = POSTGRESQL.post("/api/backups/" + id + "/verification");
    Api.Reply restore = POSTGRESQL.startRestore(id, true);

    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    assertThat(uploaded.object().getBoolean("encrypted")).isTrue();
    for (Api.Reply refused : List.of(verification, restore)) {
      assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
      assertThat(refused.object().getString("detail"))
          .contains("is encrypted")
          .contains("no BACKUP_ENCRYPTION_KEY");
    }
    assertThat(checksums(asOf)).isEqualTo(before);
    assertThat(POSTGRESQL.delete("/api/backups/" + id).status()).isEqualTo(204);
  }

  @Test
  @Order(4)
  void aUserErasedAfterTheBackupStaysErasedAndExpiredRecordsStayGone() throws Exception {
    String kept = "kept-" + UUID.randomUUID();
    String erased = "erased-" + UUID.randomUUID();
    String held = "held-" + UUID.randomUUID();
    seed(List.of(kept, erased));
    String old = Instant.now().minus(100, ChronoUnit.DAYS).toString(); // interactions: 90 days
    JsonObject expiredRecord =
        POSTGRESQL.insert("interactions", withTime(Samples.record("interactions", kept), old));
    JsonObject heldRecord =
        POSTGRESQL.insert("interactions", withTime(Samples.record("interactions", held), old));
    assertThat(
            OFFICER
                .send(
                    "PUT",
                    "/api/privacy/users/" + held + "/hold",
                    "application/json",
                    "{\"reason\":\"case 9\"}")
                .status())
        .isEqualTo(200);
    long erasedRows = ownedRows(erased);
    long erasedAudit = auditRows(erased);
    Map<String, List<JsonObject>> keptBefore = records(kept);

    String id = POSTGRESQL.backUp().getString("backupId");
    Api.Reply erasure = OFFICER.delete("/api/privacy/users/" + erased, null);
    assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
    // Recorded in the database, in the erasure's own transaction (no ledger file any more).
    assertThat(Database.single("SELECT count(*) FROM erasures WHERE user_id = ?", erased))
        .isEqualTo(1L);
    assertThat(BACKUP_DIR.resolve("erasures.jsonl")).doesNotExist();

    JsonObject restore = POSTGRESQL.restore(id, true);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(ownedRows(erased)).isZero();
    // Exempt from erasure, and kept by the restore (the store's trail holds the archive's): the
    // entries as backed up, and the erasure's own, recorded after the backup.
    assertThat(auditRows(erased)).isEqualTo(erasedAudit + 1);
    JsonObject skipped = restore.getJsonObject("result").getJsonObject("skipped");
    long skippedErased =
        skipped.getJsonObject("erased").values().stream()
            .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue())
            .sum();
    assertThat(skippedErased).isEqualTo(erasedRows);
    assertThat(skipped.getJsonObject("expired").getJsonNumber("interactions").longValue())
        .isEqualTo(1);
    assertThat(rowsWithId("interactions", expiredRecord.getString("id"))).isZero();
    assertThat(rowsWithId("interactions", heldRecord.getString("id"))).isEqualTo(1);
    Map<String, List<JsonObject>> keptAfter = records(kept);
    keptBefore
        .get("interactions")
        .removeIf(r -> r.getString("id").equals(expiredRecord.getString("id")));
    assertThat(keptAfter).isEqualTo(keptBefore);
    JsonObject chain = AUDITOR.get("/api/audit/chains/" + erased + "/verification").object();
    assertThat(chain.getBoolean("valid")).as(chain.toString()).isTrue();
  }

  /**
   * The README's move of a development store: a backup of the SQLite server, restored with replace
   * into PostgreSQL, gives PostgreSQL every record of it, and the audit chains carried along still
   * verify (their hashes cover every time to the microsecond, which SQLite keeps as integers).
   */
  @Test
  @Order(5)
  void aSqliteStoreMovesIntoPostgresqlWhole() {
    Assumptions.assumeFalse(Boolean.getBoolean("guardian.sqlite.skip"), "no sqlite server");
    BackupClient sqlite = new BackupClient(System.getProperty("guardian.sqlite.baseUrl"));
    String user = "dev-" + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      sqlite.insert(collection, Samples.record(collection, user));
      sqlite.insert(collection, Samples.record(collection, user));
    }
    Map<String, List<JsonObject>> onSqlite = new LinkedHashMap<>();
    for (String collection : Samples.WRITABLE) {
      if (!collection.equals("metrics")) {
        onSqlite.put(collection, sqlite.recordsOf(collection, user));
      }
    }
    JsonObject backup = sqlite.backUp();
    String id = backup.getString("backupId");
    assertThat(backup.getString("backend")).isEqualTo("sqlite");

    Api.Reply uploaded = POSTGRESQL.upload(id, sqlite.download(id));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    // The move replaces this server's audit trail with the SQLite store's, which ends before the
    // blocks this server has anchored since: a move of a whole store is forced, and recorded.
    JsonObject restore = POSTGRESQL.restore(id, true, true);
    String escrow = new KeyOperator(sqlite.baseUrl()).writeEscrow();
    KeyOperator.copyEscrow(
        Path.of(System.getProperty("guardian.sqlite.keyDir")),
        Path.of(System.getProperty("guardian.keyDir")),
        escrow);
    Api.Reply imported = KeyOperator.ofServerUnderTest().importEscrow(escrow);
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    JsonObject result = restore.getJsonObject("result");
    JsonObject skipped = result.getJsonObject("skipped");
    for (String collection : Samples.COLLECTIONS) {
      assertThat(count(result.getJsonObject("restored"), collection))
          .as(collection)
          .isEqualTo(
              count(backup.getJsonObject("counts"), collection)
                  - count(skipped.getJsonObject("erased"), collection)
                  - count(skipped.getJsonObject("expired"), collection));
    }
    for (var entry : onSqlite.entrySet()) {
      assertThat(POSTGRESQL.recordsOf(entry.getKey(), user))
          .as(entry.getKey())
          .isEqualTo(entry.getValue())
          .hasSize(2);
    }
    JsonObject chain = AUDITOR.get("/api/audit/chains/" + user + "/verification").object();
    assertThat(chain.getBoolean("valid")).as(chain.toString()).isTrue();
    assertThat(chain.getJsonNumber("entries").longValue()).isGreaterThan(onSqlite.size());
  }

  /** The base URL properties of the other backends' servers that are up in this build. */
  private static List<String> otherServers() {
    List<String> servers = new java.util.ArrayList<>();
    if (!Boolean.getBoolean("guardian.sqlite.skip")) {
      servers.add("guardian.sqlite.baseUrl");
    }
    if (!Boolean.getBoolean("guardian.backends.skip")) {
      servers.add("guardian.memory.baseUrl");
      servers.add("guardian.mongodb.baseUrl");
    }
    return servers;
  }

  private static void seed(List<String> users) {
    for (String user : users) {
      for (String collection : Samples.WRITABLE) {
        POSTGRESQL.insert(collection, Samples.record(collection, user));
        POSTGRESQL.insert(collection, Samples.record(collection, user));
      }
      POSTGRESQL.recordsOf("memories", user); // an audited read, too
    }
  }

  private static JsonObject withTime(JsonObject record, String time) {
    return Json.createObjectBuilder(record).add("timestamp", time).build();
  }

  private static Map<String, List<JsonObject>> records(String user) {
    Map<String, List<JsonObject>> records = new LinkedHashMap<>();
    for (String collection : Samples.WRITABLE) {
      if (!collection.equals("metrics")) {
        records.put(collection, new java.util.ArrayList<>(POSTGRESQL.recordsOf(collection, user)));
      }
    }
    return records;
  }

  /** The user's rows in every table erasure reaches (all but the audit trail), keys included. */
  private static long ownedRows(String user) {
    long rows = 0;
    for (String table : TABLES) {
      if (!table.equals("access_logs")
          && !LEDGER_TABLES.contains(table)
          && !table.equals("metrics")
          && !table.equals("erasures")) { // the erasure's own record: no data of the user
        rows +=
            (Long) Database.single("SELECT count(*) FROM " + table + " WHERE user_id = ?", user);
      }
    }
    return rows;
  }

  private static long auditRows(String user) {
    return (Long) Database.single("SELECT count(*) FROM access_logs WHERE user_id = ?", user);
  }

  private static long rowsWithId(String table, String id) {
    return (Long) Database.single("SELECT count(*) FROM " + table + " WHERE id = ?::uuid", id);
  }

  /**
   * A checksum of every row of every table, as PostgreSQL renders it, in id order; without the
   * backups' and restores' own receipts (written after the snapshot, and by the restore itself) and
   * the chain they go to.
   */
  /**
   * The checksums of what existed before a moment: audit entries made after it (by the test's own
   * requests: every access is recorded) left out.
   */
  private static Map<String, String> checksums(java.time.Instant before) {
    Map<String, String> checksums = new LinkedHashMap<>();
    for (String table : TABLES) {
      if (LEDGER_TABLES.contains(table)) {
        continue;
      }
      // An entry's place in the ledger (block, position) is the sealer's, given on its own time.
      String row =
          table.equals("access_logs")
              ? "(to_jsonb(t) - 'block_no' - 'block_pos')::text"
              : "t::text";
      String where =
          table.equals("access_logs")
              ? " WHERE access_type NOT IN ('backup', 'restore') AND created_at < '" + before + "'"
              : "";
      checksums.put(
          table,
          (String)
              Database.single(
                  "SELECT count(*) || ':' || coalesce(md5(string_agg("
                      + row
                      + ", '|' ORDER BY id)), '')"
                      + " FROM "
                      + table
                      + " t"
                      + where));
    }
    return checksums;
  }

  /** Empties every table, as a lost database would be. */
  /**
   * Deletes every row of every table, as one transaction that first locks the ledger's state table:
   * a sealer's turn running meanwhile (which holds the state row) ends before it, and none starts
   * until it commits. Table by table, a turn that had read the old state could commit its new block
   * after that table was emptied and leave it behind, numbered after the lost ledger.
   */
  private static void wipe() {
    Database.transaction(
        Stream.concat(
                Stream.of("LOCK TABLE audit_ledger IN EXCLUSIVE MODE"),
                TABLES.stream().map(table -> "DELETE FROM " + table))
            .toArray(String[]::new));
  }

  private static long count(JsonObject counts, String collection) {
    return counts.containsKey(collection) ? counts.getJsonNumber(collection).longValue() : 0;
  }
}
