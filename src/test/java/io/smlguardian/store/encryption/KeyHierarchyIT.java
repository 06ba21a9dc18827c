package io.smlguardian.store.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The key hierarchy on the real server: a database dump reads while the key-encryption key it used
 * exists and never once a rotation has destroyed it; a second instance on the same database honours
 * an erasure within the key cache's time to live. (A master key's rotation and retirement, on a
 * server of its own: {@link MasterKeyRotationIT}.)
 */
@Tag("postgresql") // reads and writes PostgreSQL with SQL and starts servers of its own
class KeyHierarchyIT {

  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-keys-officer", "privacy-officer"));
  private static final Path KEY_DIR = Path.of(System.getProperty("guardian.keyDir"));
  private static final Duration CACHE_TTL = Duration.ofSeconds(5); // KEY_CACHE_TTL's default
  private static final Duration SLACK = Duration.ofSeconds(3);

  @Test
  void aDumpReadsWhileItsKeyEncryptionKeyExistsAndNeverAfterTheRotationDestroyedIt()
      throws Exception {
    String erased = "dumped-erased-" + UUID.randomUUID();
    String kept = "dumped-kept-" + UUID.randomUUID();
    JsonObject sample = Samples.record("memories", erased);
    String erasedId = Api.post("/api/collections/memories", sample).object().getString("id");
    String keptId =
        Api.post("/api/collections/memories", Samples.record("memories", kept))
            .object()
            .getString("id");
    // The dump: both users' rows of memories and user_keys, as PostgreSQL holds them now.
    List<Map<String, Object>> memories = rows("memories", erased, kept);
    List<Map<String, Object>> keys = rows("user_keys", erased, kept);
    assertThat(memories).hasSize(2);
    assertThat(keys).hasSize(2);
    assertThat(OFFICER.delete("/api/privacy/users/" + erased, null).status()).isEqualTo(200);

    String database = "dump_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Database.create(database);
    Path root = Files.createTempDirectory(Path.of("target"), "dump-server-").toAbsolutePath();
    try (SecondServer restored =
        SecondServer.start(
            "guardianStore-keys-dump",
            Map.of(
                "DB_NAME", database,
                "KEY_DIR", KEY_DIR.toString(),
                "BACKUP_DIR", root.resolve("backups").toString(),
                "AUDIT_DIGEST_DIR", root.resolve("audit-digests").toString()))) {
      KeyOperator.awaitReady(restored.serverUrl());
      try (Connection dump = Database.connect(database)) {
        insert(dump, "user_keys", keys);
        insert(dump, "memories", memories);
      }
      String erasedOnDump = restored.baseUrl() + "/api/collections/memories/" + erasedId;
      String keptOnDump = restored.baseUrl() + "/api/collections/memories/" + keptId;

      // Within the window: the dump's keys open with the KEK that still exists in KEY_DIR.
      Api.Reply before = Api.SERVICE.get(erasedOnDump);
      assertThat(before.status()).as(before.toString()).isEqualTo(200);
      assertThat(before.object().get("patterns")).isEqualTo(sample.get("patterns"));

      // The window ends: a rotation re-wraps the live keys and destroys the superseded KEK at once.
      JsonObject rotation = KeyOperator.ofServerUnderTest().rotate("?retention=PT0S");
      assertThat(rotation.getString("status")).as(rotation.toString()).isEqualTo("COMPLETED");
      JsonObject result = rotation.getJsonObject("result");
      assertThat(result.getBoolean("complete")).isTrue();
      assertThat(result.getJsonArray("keksDestroyed")).isNotEmpty();
      assertThat(result.getJsonObject("keysWrappedBy").keySet())
          .containsExactly(result.getString("currentKek"));

      Duration took = awaitStatus(erasedOnDump, 410, CACHE_TTL.plus(SLACK).multipliedBy(2));
      assertThat(took).isLessThanOrEqualTo(CACHE_TTL.plus(SLACK));
      Api.Reply after = Api.SERVICE.get(erasedOnDump);
      assertThat(after.raw().body()).doesNotContain("calm-after-walk");
      // The whole dump is sealed now, the kept user's fields too; the live store reads on.
      assertThat(Api.SERVICE.get(keptOnDump).status()).isEqualTo(410);
      assertThat(Api.get("/api/collections/memories/" + keptId).status()).isEqualTo(200);

      // Recovering from that dump takes the live database's keys: the kept user reads again, the
      // erased one (whose key the live database no longer has) never.
      try (Connection dump = Database.connect(database)) {
        try (Statement statement = dump.createStatement()) {
          statement.executeUpdate("DELETE FROM user_keys");
        }
        insert(dump, "user_keys", rows("user_keys", erased, kept));
      }
      Api.Reply recovered = Api.SERVICE.get(keptOnDump);
      assertThat(recovered.status()).as(recovered.toString()).isEqualTo(200);
      assertThat(Api.SERVICE.get(erasedOnDump).status()).isEqualTo(410);
    }
  }

  @Test
  void anotherInstanceOnTheSameDatabaseHonoursAnErasureWithinTheKeyCacheTtl() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target"), "twin-server-").toAbsolutePath();
    try (SecondServer twin =
        SecondServer.start(
            "guardianStore-keys-twin",
            Map.of(
                "KEY_DIR", KEY_DIR.toString(),
                "BACKUP_DIR", root.resolve("backups").toString()))) {
      KeyOperator.awaitReady(twin.serverUrl());
      String user = "twin-" + UUID.randomUUID();
      String id =
          Api.post("/api/collections/memories", Samples.record("memories", user))
              .object()
              .getString("id");
      String onTwin = twin.baseUrl() + "/api/collections/memories/" + id;
      // The twin reads it, and so holds the user's unwrapped key in its cache.
      assertThat(Api.SERVICE.get(onTwin).status()).isEqualTo(200);
      String patterns =
          String.valueOf(
              Database.single("SELECT patterns::text FROM memories WHERE id = ?::uuid", id));
      Object createdAt = Database.single("SELECT created_at FROM memories WHERE id = ?::uuid", id);

      assertThat(OFFICER.delete("/api/privacy/users/" + user, null).status()).isEqualTo(200);
      // A copy of the record comes back (a restore of an old copy): nothing may open it.
      Database.single(
          "INSERT INTO memories (id, created_at, version, user_id, type, strength, patterns,"
              + " timestamp) VALUES (?::uuid, ?, 1, ?, 'success_pattern', 0.8, ?::jsonb, now())"
              + " RETURNING 1",
          id,
          createdAt,
          user,
          patterns);

      assertThat(Api.get("/api/collections/memories/" + id).status()).isEqualTo(410);
      Duration took = awaitStatus(onTwin, 410, CACHE_TTL.plus(SLACK).multipliedBy(2));
      assertThat(took).isLessThanOrEqualTo(CACHE_TTL.plus(SLACK));
    }
  }

  @Test
  void rotationsRefuseALongerRetentionThanConfiguredAndBadParameters() {
    KeyOperator keys = KeyOperator.ofServerUnderTest();
    Api.Reply longer = keys.startRotation("?retention=P30D");
    assertThat(longer.status()).as(longer.toString()).isEqualTo(400);
    assertThat(longer.object().getString("detail")).contains("longer than KEY_RETENTION");
    assertThat(keys.startRotation("?retention=soon").status()).isEqualTo(400);
    assertThat(keys.startRotation("?newKek=maybe").status()).isEqualTo(400);
    assertThat(keys.importEscrow("..%2Fkek.json").status()).isIn(400, 404);
    assertThat(keys.importEscrow("escrow-0000000000000-00000000.jsonl").status()).isEqualTo(404);
    assertThat(Api.SERVICE.post("/api/keys/rotations", "").status()).isEqualTo(403);
  }

  @Test
  void keysInTheFormatBeforeKeyEncryptionKeysStillOpenAndTheRotationMovesThemUnderOne()
      throws Exception {
    String user = "legacy-" + UUID.randomUUID();
    byte[] dataKey = new byte[32];
    new SecureRandom().nextBytes(dataKey);
    javax.crypto.SecretKey master =
        EncryptionConfig.parseMasterKey(
            Files.readString(Path.of(System.getProperty("guardian.devKeys"), "master.key")));
    UUID keyId = UUID.randomUUID();
    String legacy =
        Base64.getEncoder()
            .encodeToString(Aead.seal(master, dataKey, UserKeyService.wrapContext(user)));
    String sealed =
        "gse1:"
            + keyId
            + ":"
            + Base64.getEncoder()
                .encodeToString(
                    Aead.seal(
                        new javax.crypto.spec.SecretKeySpec(dataKey, "AES"),
                        "[\"from-before-keks\"]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "memories/patterns/" + user));
    UUID memoryId = UUID.randomUUID();
    Database.transaction(
        "INSERT INTO user_keys (id, created_at, version, user_id, wrapped_key) VALUES ('"
            + keyId
            + "', now(), 1, '"
            + user
            + "', '"
            + legacy
            + "')",
        "INSERT INTO memories (id, created_at, version, user_id, type, strength, patterns,"
            + " timestamp) VALUES ('"
            + memoryId
            + "', now(), 1, '"
            + user
            + "', 'success_pattern', 0.8, to_jsonb('"
            + sealed
            + "'::text), now())");
    String path = "/api/collections/memories/" + memoryId;
    Api.Reply before = Api.get(path);
    assertThat(before.status()).as(before.toString()).isEqualTo(200);
    assertThat(before.object().getJsonArray("patterns").getString(0)).isEqualTo("from-before-keks");

    JsonObject rotation = KeyOperator.ofServerUnderTest().rotate("?newKek=false");

    assertThat(rotation.getString("status")).as(rotation.toString()).isEqualTo("COMPLETED");
    assertThat(rotation.getJsonObject("result").getJsonObject("keysWrappedBy").keySet())
        .doesNotContain("master");
    assertThat(
            String.valueOf(
                Database.single("SELECT wrapped_key FROM user_keys WHERE id = ?::uuid", keyId)))
        .startsWith("gsk2:" + rotation.getJsonObject("result").getString("currentKek") + ":");
    Thread.sleep(CACHE_TTL.plusSeconds(1).toMillis()); // the cached key expires: read anew
    Api.Reply after = Api.get(path);
    assertThat(after.status()).as(after.toString()).isEqualTo(200);
    assertThat(after.object().getJsonArray("patterns").getString(0)).isEqualTo("from-before-keks");
  }

  @Test
  void anErasureDestroysEveryKeyOfTheUserHoweverMany() {
    String user = "many-keys-" + UUID.randomUUID();
    Api.post("/api/collections/memories", Samples.record("memories", user));
    Database.single(
        "WITH added AS (INSERT INTO user_keys (id, created_at, version, user_id, wrapped_key)"
            + " SELECT gen_random_uuid(), now(), 1, ?, 'gsk2:' || gen_random_uuid() || ':AAAA'"
            + " FROM generate_series(1, 2500) RETURNING 1) SELECT count(*) FROM added",
        user);
    assertThat(Database.single("SELECT count(*) FROM user_keys WHERE user_id = ?", user))
        .isEqualTo(2501L);

    Api.Reply erasure = OFFICER.delete("/api/privacy/users/" + user, null);

    assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
    assertThat(erasure.object().getInt("keysDestroyed")).isEqualTo(2501);
    assertThat(Database.single("SELECT count(*) FROM user_keys WHERE user_id = ?", user))
        .isEqualTo(0L);
  }

  /** Polls until the URL answers the status; how long that took. */
  private static Duration awaitStatus(String url, int status, Duration timeout)
      throws InterruptedException {
    long began = System.nanoTime();
    while (System.nanoTime() - began < timeout.toNanos()) {
      if (Api.SERVICE.get(url).status() == status) {
        return Duration.ofNanos(System.nanoTime() - began);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(url + " did not answer " + status + " within " + timeout);
  }

  /** The table's rows of these users, every column as the driver reads it. */
  private static List<Map<String, Object>> rows(String table, String... users) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection connection = Database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT * FROM " + table + " WHERE user_id = ANY (?) ORDER BY id")) {
      select.setArray(1, connection.createArrayOf("varchar", users));
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
            row.put(result.getMetaData().getColumnName(i), result.getObject(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static void insert(Connection connection, String table, List<Map<String, Object>> rows)
      throws SQLException {
    for (Map<String, Object> row : rows) {
      String columns = String.join(", ", row.keySet());
      String marks = String.join(", ", row.keySet().stream().map(c -> "?").toList());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
        int i = 1;
        for (Object value : row.values()) {
          insert.setObject(i++, value);
        }
        insert.executeUpdate();
      }
    }
  }
}
