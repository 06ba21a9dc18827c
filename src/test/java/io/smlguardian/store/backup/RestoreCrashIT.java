package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL in the middle of a restore (its staging copies half loaded) has the
 * store it had before the restore after its restart: every record, none of the backup's switched
 * in, its staging copies emptied; and a restore afterwards completes. Shown on a second server with
 * a SQLite store of its own, so that killing it disturbs no other test; the same start shows the
 * erasure ledger file of older versions imported into the database and renamed. A MongoDB server
 * killed during its restore's switch (not one transaction there) serves again after its restart,
 * and a rerun of the restore makes its store whole.
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
class RestoreCrashIT {

  private static final int RECORDS = 20_000;

  @Test
  void aServerKilledDuringARestoreKeepsItsStoreAsItWas() throws Exception {
    Path data = Files.createTempDirectory("guardian-restore-crash");
    Path database = data.resolve("sml_guardian.db");
    Path backups = Files.createDirectories(data.resolve("backups"));
    // The erasure ledger file of older versions: imported into the database at the first start.
    String legacy = "legacy-erased-" + UUID.randomUUID();
    Files.writeString(
        backups.resolve("erasures.jsonl"),
        "{\"userId\":\""
            + legacy
            + "\",\"erasedAt\":\"2026-11-01T10:00:00Z\",\"receiptId\":\""
            + UUID.randomUUID()
            + "\"}\n");
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-restore-crash",
            Map.of(
                "DB_BACKEND", "sqlite",
                "DATA_DIR", data.toString(),
                "BACKUP_DIR", backups.toString()))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);
      assertThat(erasuresOf(database, legacy)).isEqualTo(1);
      assertThat(backups.resolve("erasures.jsonl")).doesNotExist();
      assertThat(backups.resolve("erasures.jsonl.imported")).exists();
      BackupClient client = new BackupClient(server.baseUrl());
      String user = "crash-" + UUID.randomUUID();
      seed(client, user, RECORDS);
      String id = client.backUp().getString("backupId");
      String after = "crash-after-" + UUID.randomUUID();
      client.insert("interactions", Samples.record("interactions", after)); // not in the backup

      Api.Reply started = client.startRestore(id, true);
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      awaitStagedRows(database);
      server.kill();
      assertThat(stagedRows(database)).as("left by the kill").isPositive();
      server.restart(Map.of());
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);

      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(after))).isEqualTo(1);
      assertThat(stagedRows(database)).as("emptied at start").isZero();
      JsonObject again = client.restore(id, true);
      assertThat(again.getString("status")).as(again.toString()).isEqualTo("COMPLETED");
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(after))).isZero();
    }
  }

  /**
   * MongoDB switches the staged records in collection after collection, in maintenance, not in one
   * transaction (docs/backup-and-restore.md): a server killed in the middle of that switch may
   * leave the store mixed, and what the documentation promises is that after the restart the server
   * serves (no maintenance left over), its staging copies are emptied, and a rerun of the restore
   * with replace=true makes the store whole. Shown on a second server with a MongoDB database of
   * its own (on the build's in-process MongoDB, which outlives the kill), killed (SIGKILL) once its
   * restore answers 503 for maintenance, while the staging copies are still full.
   */
  @Test
  void aMongodbServerKilledDuringItsSwitchIsMadeWholeByARerun() throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("guardian.backends.skip"), "the build's MongoDB is not up");
    String uri = System.getProperty("guardian.mongodb.uri");
    String database = "restore_crash_" + UUID.randomUUID().toString().substring(0, 8);
    String ownUri = uri.substring(0, uri.lastIndexOf('/') + 1) + database;
    Path root =
        Files.createTempDirectory(Path.of("target"), "restore-crash-mongo-").toAbsolutePath();
    try (MongoClient mongo = MongoClients.create(uri);
        SecondServer server =
            SecondServer.start(
                "guardianStore-restore-crash-mongodb",
                Map.of(
                    "DB_BACKEND", "mongodb",
                    "MONGO_URI", ownUri,
                    "BACKUP_DIR", root.resolve("backups").toString(),
                    "KEY_DIR", root.resolve("keys").toString(),
                    "AUDIT_DIGEST_DIR", root.resolve("audit-digests").toString()))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);
      MongoDatabase db = mongo.getDatabase(database);
      BackupClient client = new BackupClient(server.baseUrl());
      String user = "crash-mongo-" + UUID.randomUUID();
      ingest(client, user, RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      String id = client.backUp().getString("backupId");
      String after = "crash-mongo-after-" + UUID.randomUUID();
      client.insert("interactions", Samples.record("interactions", after)); // not in the backup

      Api.Reply started = client.startRestore(id, true);
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      awaitMaintenance(client, user);
      server.kill();
      long staged = db.getCollection("interactions_staging").countDocuments();
      assertThat(staged).as("left by the kill: it came before the restore's end").isPositive();
      long userBefore = db.getCollection("interactions").countDocuments(Filters.eq("userId", user));
      long afterBefore =
          db.getCollection("interactions").countDocuments(Filters.eq("userId", after));
      server.restart(Map.of());
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);

      // Served again, as the kill left it (whole, or mixed: documented), staging emptied at start.
      assertThat(client.count("interactions", "userId=eq." + Api.q(user)))
          .as("as the kill left it")
          .isEqualTo(userBefore);
      assertThat(client.count("interactions", "userId=eq." + Api.q(after))).isEqualTo(afterBefore);
      assertThat(db.getCollection("interactions_staging").countDocuments())
          .as("emptied at start")
          .isZero();
      JsonObject again = client.restore(id, true);
      assertThat(again.getString("status")).as(again.toString()).isEqualTo("COMPLETED");
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(after))).isZero();
    } finally {
      try (MongoClient mongo = MongoClients.create(uri)) {
        mongo.getDatabase(database).drop();
      }
    }
  }

  /**
   * Reads until one answers 503 for maintenance: the restore has loaded everything and switches
   * now.
   */
  private static void awaitMaintenance(BackupClient client, String user) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Api.Reply reply =
          client
              .service()
              .get(
                  client.baseUrl()
                      + "/api/collections/interactions/count?userId=eq."
                      + Api.q(user));
      if (reply.status() == 503 && reply.header("Retry-After") != null) {
        return;
      }
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
    throw new IllegalStateException("the restore did not switch within 3 minutes");
  }

  /** MongoDB stores no array all or nothing (501): the records go through the ingest, synced. */
  private static void ingest(BackupClient client, String user, int records) {
    for (int done = 0; done < records; done += 500) {
      JsonArrayBuilder batch = Json.createArrayBuilder();
      for (int i = 0; i < 500; i++) {
        batch.add(Samples.record("interactions", user));
      }
      Api.Reply reply =
          client.service().post(client.baseUrl() + "/api/ingest/interactions", batch.build());
      assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }
    Api.Reply sync = client.service().post(client.baseUrl() + "/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
  }

  /** Waits until the restore has staged some interactions (and not all: it is killed at once). */
  private static void awaitStagedRows(Path database) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT count(*) FROM interactions_staging")) {
        if (result.next() && result.getLong(1) > 0) {
          return;
        }
      } catch (SQLException busy) {
        // the server is writing: asked again
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the restore staged nothing within 2 minutes");
  }

  private static long erasuresOf(Path database, String user) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        java.sql.PreparedStatement statement =
            connection.prepareStatement("SELECT count(*) FROM erasures WHERE user_id = ?")) {
      statement.setString(1, user);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static long stagedRows(Path database) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM interactions_staging")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static void seed(BackupClient client, String user, int records) {
    for (int done = 0; done < records; done += 500) {
      JsonArrayBuilder batch = Json.createArrayBuilder();
      for (int i = 0; i < 500; i++) {
        batch.add(Samples.record("interactions", user));
      }
      Api.Reply reply =
          client.service().post(client.baseUrl() + "/api/collections/interactions", batch.build());
      assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }
  }

  private static void awaitReady(SecondServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Api.anonymous().get(server.serverUrl() + "/health/ready").status() == 200) {
          return;
        }
      } catch (java.io.UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the server did not become ready");
  }
}
