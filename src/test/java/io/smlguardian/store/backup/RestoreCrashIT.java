package io.smlguardian.store.backup;

import static io.smlguardian.store.backup.MongoRestoreState.documents;
import static io.smlguardian.store.backup.MongoRestoreState.stagedDocuments;
import static io.smlguardian.store.backup.MongoRestoreState.switchRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL in the middle of a restore (its staging copies half loaded) has the
 * store it had before the restore after its restart: every record, none of the backup's switched
 * in, its staging copies emptied; and a restore afterwards completes. Shown on a second server with
 * a SQLite store of its own, so that killing it disturbs no other test; the same start shows the
 * erasure ledger file of older versions imported into the database and renamed. A MongoDB server
 * killed during its restore's switch (not one transaction there) completes the switch at its
 * restart, before it is ready, from the staging copies the switch had recorded.
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
@OnItsOwnServers
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
   * transaction (docs/backup-and-restore.md), and records the switch and its progress before each
   * step. A server killed in the middle of that switch (some collections switched, the others, the
   * restored records among them, not yet) completes it at its restart, before it is ready, with no
   * rerun: the store then holds exactly the backup's records, each as it was backed up, none of
   * those written only before the restore; the record of the switch is gone, the staging copies are
   * empty, writes are taken again, the audit ledger verifies and holds the restore's receipt, and a
   * new restore completes. Shown on a second server with a MongoDB database of its own (on the
   * build's in-process MongoDB, which outlives the kill), killed (SIGKILL) while the switch copies
   * the interactions in, found by reading MongoDB directly.
   */
  @Test
  void aMongodbServerKilledDuringItsSwitchCompletesItAtItsRestart() throws Exception {
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
                SecondServer.withOwnFilesIn(
                    root, Map.of("DB_BACKEND", "mongodb", "MONGO_URI", ownUri)))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);
      MongoDatabase db = mongo.getDatabase(database);
      BackupClient client = new BackupClient(server.baseUrl());
      String user = "crash-mongo-" + UUID.randomUUID();
      ingest(client, user, RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      String id = client.backUp().getString("backupId");
      Map<BsonValue, BsonDocument> backedUp = documents(db.getCollection("interactions"));
      assertThat(backedUp).hasSize(RECORDS);
      String after = "crash-mongo-after-" + UUID.randomUUID();
      client.insert("interactions", Samples.record("interactions", after)); // not in the backup

      Api.Reply started = client.startRestore(id, true);
      assertThat(started.status()).as(started.toString()).isEqualTo(202);
      awaitInteractionsPartlySwitched(db);
      server.kill();

      // Killed mid-switch: the record names collections switched and others not; among those not,
      // the interactions, partly replaced (their old documents gone, the backup's not all in).
      BsonDocument plan = switchRecord(db).orElseThrow().getDocument("plan");
      List<String> planned =
          plan.getArray("switches").stream()
              .map(s -> s.asDocument().getString("collection").getValue())
              .toList();
      List<String> switched =
          plan.getArray("switched").stream().map(s -> s.asString().getValue()).toList();
      assertThat(switched).as("switched before the kill").isNotEmpty();
      assertThat(planned).as("planned").containsAll(switched).contains("interactions");
      assertThat(switched).as("switched before the kill").doesNotContain("interactions");
      Map<BsonValue, BsonDocument> atTheKill = documents(db.getCollection("interactions"));
      System.out.printf(
          "Killed with %s switched of %s; %d interactions live%n",
          switched, planned, atTheKill.size());
      assertThat(atTheKill.size()).as("the interactions at the kill").isLessThan(RECORDS);
      assertThat(atTheKill.keySet())
          .as("the interactions at the kill")
          .isSubsetOf(backedUp.keySet());
      assertThat(db.getCollection("interactions_staging").countDocuments()).isEqualTo(RECORDS);

      server.restart(Map.of());
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);

      // Completed at the start, before ready, without a rerun.
      assertThat(documents(db.getCollection("interactions")))
          .as("every record as backed up, none other")
          .isEqualTo(backedUp);
      assertThat(client.count("interactions", "userId=eq." + Api.q(user))).isEqualTo(RECORDS);
      assertThat(client.count("interactions", "userId=eq." + Api.q(after))).isZero();
      assertThat(switchRecord(db)).as("the switch's record, forgotten").isEmpty();
      assertThat(stagedDocuments(db)).as("staging emptied").isZero();
      assertThat(server.awaitLog(Duration.ofSeconds(5), "completing it from its staging copies"))
          .as("said in the log")
          .contains("backup " + id + " was interrupted");
      assertThat(
              db.getCollection("access_logs")
                  .countDocuments(
                      Filters.and(
                          Filters.eq("operation", "restore " + id),
                          Filters.regex("reason", "completedAfterInterruption"))))
          .as("the restore's receipt, recorded by the start that completed it")
          .isOne();
      JsonObject ledger =
          Api.as(TestTokens.token("it-crash-auditor", "auditor"))
              .get(server.baseUrl() + "/api/audit/ledger/verification")
              .object();
      assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
      String later = "crash-mongo-later-" + UUID.randomUUID();
      client.insert("interactions", Samples.record("interactions", later)); // no maintenance left
      JsonObject again = client.restore(id, true);
      assertThat(again.getString("status")).as(again.toString()).isEqualTo("COMPLETED");
      assertThat(documents(db.getCollection("interactions"))).isEqualTo(backedUp);
      assertThat(switchRecord(db)).isEmpty();
      assertThat(stagedDocuments(db)).isZero();
    } finally {
      try (MongoClient mongo = MongoClients.create(uri)) {
        mongo.getDatabase(database).drop();
      }
    }
  }

  /**
   * Reads MongoDB until the switch is recorded and the interactions hold fewer documents than the
   * backup (the switch has deleted their old documents and copies the backup's in, a thousand at a
   * time): the kill then lands in the middle of the switch, some collections switched, others not.
   */
  private static void awaitInteractionsPartlySwitched(MongoDatabase db)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (switchRecord(db).isPresent()
          && db.getCollection("interactions").countDocuments() < RECORDS) {
        return;
      }
      Thread.sleep(2);
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
