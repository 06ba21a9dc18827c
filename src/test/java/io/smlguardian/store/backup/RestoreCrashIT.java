package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL in the middle of a restore (its staging copies half loaded) has the
 * store it had before the restore after its restart: every record, none of the backup's switched
 * in, its staging copies emptied; and a restore afterwards completes. Shown on a second server with
 * a SQLite store of its own, so that killing it disturbs no other test; the same start shows the
 * erasure ledger file of older versions imported into the database and renamed.
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
