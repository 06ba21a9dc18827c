package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The audit ledger on the real server and PostgreSQL: every entry carries its MAC from the moment
 * it is written, the sealer links entries into blocks without being asked, and each kind of
 * tampering made with SQL (an entry altered, deleted, forged, reordered; a user's whole trail
 * deleted; blocks truncated from the end) is found, with where. Each test puts back what it
 * tampered with, so that the ledger verifies again for the tests after it.
 */
@Tag("postgresql") // tampers with what PostgreSQL holds, with SQL
class AuditLedgerIT {

  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-ledger-auditor", "auditor"));

  /** A user with four audited accesses: two inserts, a read, a query. */
  private static String userWithHistory() {
    String user = "ledger-" + UUID.randomUUID();
    String id =
        Api.post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    Api.post("/api/collections/sessions", Samples.record("sessions", user));
    Api.get("/api/collections/memories/" + id);
    Api.get("/api/collections/memories?userId=eq." + user);
    return user;
  }

  /**
   * Seals what waits, and waits until it is sealed: another server on this database (a test that
   * starts a copy of this one) may still hold the sealer's lease for up to its 30 s, and seals
   * nothing of this server's meanwhile; this server seals once it runs out.
   */
  private static JsonObject seal() {
    java.sql.Timestamp before = java.sql.Timestamp.from(java.time.Instant.now());
    Api.Reply reply = sealOnce();
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (((Number)
                    Database.single(
                        "SELECT count(*) FROM access_logs WHERE block_no IS NULL AND mac IS NOT NULL"
                            + " AND created_at < ?",
                        before))
                .longValue()
            > 0
        && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      reply = sealOnce();
    }
    return reply.object();
  }

  /** One seal, answered once this server's sealer has sealed what it could. */
  private static Api.Reply sealOnce() {
    Api.Reply reply = AUDITOR.post("/api/audit/ledger/seal", "");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply;
  }

  private static JsonObject ledger() {
    Api.Reply reply = AUDITOR.get("/api/audit/ledger/verification");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  private static JsonObject verification(String user) {
    Api.Reply reply = AUDITOR.get("/api/audit/chains/" + user + "/verification");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  /** The problems of a verification, each as "kind block entryId". */
  private static List<String> problems(JsonObject verification) {
    return verification.getJsonArray("problems").stream()
        .map(JsonValue::asJsonObject)
        .map(
            p ->
                p.getString("kind")
                    + " "
                    + (p.containsKey("block") ? p.getJsonNumber("block").longValue() : "-")
                    + " "
                    + p.getString("entryId", "-"))
        .toList();
  }

  private static String entryOf(String user, String operation) {
    return (String)
        Database.single(
            "SELECT id::text FROM access_logs WHERE user_id = ? AND operation = ?",
            user,
            operation);
  }

  private static long blockOf(String entry) {
    return (Long) Database.single("SELECT block_no FROM access_logs WHERE id = ?::uuid", entry);
  }

  @Test
  void everyEntryCarriesItsMacWhenWrittenAndIsSealedWithoutBeingAsked() throws Exception {
    String user = userWithHistory();

    assertThat(
            Database.single(
                "SELECT count(*) FROM access_logs WHERE user_id = ? AND mac IS NULL", user))
        .isEqualTo(0L);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((Long)
                Database.single(
                    "SELECT count(*) FROM access_logs WHERE user_id = ? AND block_no IS NULL", user)
            > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    JsonObject result = verification(user);
    assertThat(result.getBoolean("valid")).as(result.toString()).isTrue();
    assertThat(result.getInt("entries")).isEqualTo(4);
    assertThat(result.getInt("sealed")).isEqualTo(4);
  }

  @Test
  void anUntouchedLedgerVerifiesAgainstItsLatestDigest() {
    userWithHistory();
    JsonObject digest = seal();

    JsonObject result = ledger();

    assertThat(result.getBoolean("valid")).as(result.toString()).isTrue();
    assertThat(result.getJsonObject("digest").getJsonNumber("block").longValue())
        .isGreaterThanOrEqualTo(digest.getJsonNumber("block").longValue());
    assertThat(result.getJsonNumber("blocks").longValue()).isPositive();
  }

  @Test
  void anEntryAlteredWithSqlIsFound() {
    String user = userWithHistory();
    seal();
    String entry = entryOf(user, "read");
    long block = blockOf(entry);

    Database.transaction(
        "UPDATE access_logs SET principal = 'someone-else' WHERE id = '" + entry + "'");
    try {
      assertThat(problems(verification(user))).contains("altered " + block + " " + entry);
      assertThat(problems(ledger())).contains("altered " + block + " " + entry);
    } finally {
      Database.transaction(
          "UPDATE access_logs SET principal = 'it-service' WHERE id = '" + entry + "'");
    }
    assertThat(verification(user).getBoolean("valid")).isTrue();
  }

  @Test
  void anEntryDeletedWithSqlIsFound() {
    String user = userWithHistory();
    seal();
    String entry = entryOf(user, "read");
    long block = blockOf(entry);

    Database.transaction(
        "CREATE TABLE tamper_deleted AS SELECT * FROM access_logs WHERE id = '" + entry + "'",
        "DELETE FROM access_logs WHERE id = '" + entry + "'");
    try {
      assertThat(problems(verification(user))).contains("deleted " + block + " -");
      assertThat(problems(ledger())).contains("deleted " + block + " -");
    } finally {
      Database.transaction(
          "INSERT INTO access_logs SELECT * FROM tamper_deleted", "DROP TABLE tamper_deleted");
    }
    assertThat(verification(user).getBoolean("valid")).isTrue();
  }

  /**
   * Every read of one user's entries goes through the owner table, outside the entries' MACs: a row
   * deleted (the entry hidden from its user) and a row added (shown to another) are found.
   */
  @Test
  void anOwnerRowDeletedOrAddedWithSqlIsFound() {
    String user = userWithHistory();
    String other = userWithHistory();
    seal();
    String entry = entryOf(user, "read");
    long block = blockOf(entry);

    Database.transaction("DELETE FROM access_log_owners WHERE record_id = '" + entry + "'");
    try {
      assertThat(problems(ledger())).contains("deleted " + block + " " + entry);
    } finally {
      Database.transaction(
          "INSERT INTO access_log_owners (user_id, record_id) VALUES ('"
              + user
              + "', '"
              + entry
              + "')");
    }
    Database.transaction(
        "INSERT INTO access_log_owners (user_id, record_id) VALUES ('"
            + other
            + "', '"
            + entry
            + "')");
    try {
      assertThat(problems(verification(other))).contains("altered - " + entry);
      assertThat(problems(ledger())).contains("inserted " + block + " " + entry);
    } finally {
      Database.transaction(
          "DELETE FROM access_log_owners WHERE user_id = '"
              + other
              + "' AND record_id = '"
              + entry
              + "'");
    }
    assertThat(verification(user).getBoolean("valid")).isTrue();
    assertThat(verification(other).getBoolean("valid")).isTrue();
  }

  @Test
  void entriesForgedWithARecomputedUnkeyedHashAreFound() {
    String user = userWithHistory();
    seal();
    long block = blockOf(entryOf(user, "read"));
    String waiting = UUID.randomUUID().toString();
    String inBlock = UUID.randomUUID().toString();
    // What the old, unkeyed chain let anyone with SQL do: compute a hash that looks right.
    String forge =
        "INSERT INTO access_logs (id, created_at, version, user_id, access_type, timestamp,"
            + " success, principal, operation, mac, block_no, block_pos) VALUES ('%s', now(), 1,"
            + " '"
            + user
            + "', 'read', now(), true, 'it-service', 'read',"
            + " encode(sha256(convert_to('%s', 'UTF8')), 'hex'), %s, %s)";

    // Listed under the user in the owner table too, as the user's reads would find them.
    String listed =
        "INSERT INTO access_log_owners (user_id, record_id) VALUES ('" + user + "', '%s')";
    Database.transaction(
        String.format(forge, waiting, waiting, "NULL", "NULL"),
        String.format(
            forge,
            inBlock,
            inBlock,
            block,
            "(SELECT entry_count FROM audit_blocks WHERE block_no = " + block + ")"),
        String.format(listed, waiting),
        String.format(listed, inBlock));
    try {
      sealOnce(); // never seals the forged entry waiting for it
      assertThat(Database.single("SELECT block_no FROM access_logs WHERE id = ?::uuid", waiting))
          .isNull();
      assertThat(problems(verification(user)))
          .contains("forged - " + waiting, "altered " + block + " " + inBlock);
      assertThat(problems(ledger())).contains("forged - " + waiting, "inserted " + block + " -");
    } finally {
      Database.transaction(
          "DELETE FROM access_log_owners WHERE record_id IN ('" + waiting + "', '" + inBlock + "')",
          "DELETE FROM access_logs WHERE id IN ('" + waiting + "', '" + inBlock + "')");
    }
    assertThat(verification(user).getBoolean("valid")).isTrue();
  }

  @Test
  void entriesReorderedWithSqlAreFound() {
    String user = userWithHistory();
    seal();
    String pair =
        (String)
            Database.single(
                "SELECT a.id || ' ' || b.id FROM access_logs a JOIN access_logs b"
                    + " ON a.block_no = b.block_no AND a.block_pos < b.block_pos"
                    + " WHERE a.user_id = ? AND b.user_id = ? LIMIT 1",
                user,
                user);
    String first = pair.split(" ")[0];
    String second = pair.split(" ")[1];
    long block = blockOf(first);
    long firstPosition =
        (Long) Database.single("SELECT block_pos FROM access_logs WHERE id = ?::uuid", first);
    long secondPosition =
        (Long) Database.single("SELECT block_pos FROM access_logs WHERE id = ?::uuid", second);
    String[] swap = {
      "UPDATE access_logs SET block_pos = -1 WHERE id = '" + first + "'",
      "UPDATE access_logs SET block_pos = " + firstPosition + " WHERE id = '" + second + "'",
      "UPDATE access_logs SET block_pos = " + secondPosition + " WHERE id = '" + first + "'"
    };

    Database.transaction(swap);
    try {
      assertThat(problems(verification(user))).containsExactly("reordered " + block + " -");
    } finally {
      Database.transaction(
          "UPDATE access_logs SET block_pos = -1 WHERE id = '" + first + "'",
          "UPDATE access_logs SET block_pos = " + secondPosition + " WHERE id = '" + second + "'",
          "UPDATE access_logs SET block_pos = " + firstPosition + " WHERE id = '" + first + "'");
    }
    assertThat(verification(user).getBoolean("valid")).isTrue();
  }

  @Test
  void aUsersWholeTrailDeletedIsFoundByTheLedger() {
    String user = userWithHistory();
    seal();
    long block = blockOf(entryOf(user, "read"));

    Database.transaction(
        "CREATE TABLE tamper_user AS SELECT * FROM access_logs WHERE user_id = '" + user + "'",
        "DELETE FROM access_logs WHERE user_id = '" + user + "'");
    try {
      assertThat(problems(ledger())).contains("deleted " + block + " -");
    } finally {
      Database.transaction(
          "INSERT INTO access_logs SELECT * FROM tamper_user", "DROP TABLE tamper_user");
    }
    assertThat(ledger().getBoolean("valid")).isTrue();
  }

  @Test
  void blocksTruncatedFromTheEndWithTheStateRolledBackAreFoundAgainstTheDigest() {
    userWithHistory();
    long anchored = seal().getJsonNumber("block").longValue();
    long kept = anchored - 1;
    String keptHash =
        "coalesce((SELECT hash FROM audit_blocks WHERE block_no = " + kept + "), repeat('0', 64))";
    String keptTotal =
        "coalesce((SELECT total_entries FROM audit_blocks WHERE block_no = " + kept + "), 0)";

    // The state row is locked first: no sealer turn runs between the copies and the deletes.
    Database.transaction(
        "SELECT 1 FROM audit_ledger FOR UPDATE",
        "CREATE TABLE tamper_state AS SELECT * FROM audit_ledger",
        "CREATE TABLE tamper_blocks AS SELECT * FROM audit_blocks WHERE block_no > " + kept,
        "CREATE TABLE tamper_entries AS SELECT * FROM access_logs WHERE block_no > " + kept,
        "DELETE FROM access_logs WHERE block_no > " + kept,
        "UPDATE audit_ledger SET last_block = "
            + kept
            + ", last_hash = "
            + keptHash
            + ", total_entries = "
            + keptTotal,
        "DELETE FROM audit_blocks WHERE block_no > " + kept);
    try {
      JsonObject result = ledger();
      assertThat(result.getBoolean("valid")).isFalse();
      assertThat(problems(result)).contains("truncated " + anchored + " -");
      assertThat(result.getJsonArray("problems").toString()).contains("digest");
    } finally {
      Database.transaction(
          "DELETE FROM audit_ledger",
          "INSERT INTO audit_ledger SELECT * FROM tamper_state",
          "INSERT INTO audit_blocks SELECT * FROM tamper_blocks",
          "INSERT INTO access_logs SELECT * FROM tamper_entries",
          "DROP TABLE tamper_state",
          "DROP TABLE tamper_blocks",
          "DROP TABLE tamper_entries");
    }
    seal();
    JsonObject again = ledger();
    assertThat(again.getBoolean("valid")).as(again.toString()).isTrue();
  }

  @Test
  void onlyAuditorsVerifyAndSeal() {
    assertThat(Api.get("/api/audit/ledger/verification").status()).isEqualTo(403);
    assertThat(Api.get("/api/audit/chains/anyone/verification").status()).isEqualTo(403);
    assertThat(Api.post("/api/audit/ledger/seal", "").status()).isEqualTo(403);
    assertThat(Api.anonymous().get("/api/audit/ledger/verification").status()).isEqualTo(401);
  }
}
