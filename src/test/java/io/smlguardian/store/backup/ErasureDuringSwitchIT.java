package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.KeyOperator;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one PostgreSQL database: an erasure asked of one while the other's restore is in
 * the middle of its switch is honoured after the switch. The switch locks the record of erasures
 * for its whole transaction, and every erasure takes that lock first, so the erasure waits and then
 * deletes the user's records the switch has just brought back.
 *
 * <p>The switch is held in its middle by the test: a transaction of its own takes a SHARE lock on
 * {@code metrics}, which the switch writes after {@code interactions} (collections switch in name
 * order), so the switch stops there with the user's old rows deleted and the backup's inserted,
 * uncommitted. The erasure is sent to the other instance only then, and the test lets the switch go
 * only once that erasure waits on a lock. Without the switch's lock on the record of erasures the
 * erasure would wait on the old rows instead, find none of them left when the switch commits, and
 * leave the restored ones in place: this test then fails.
 */
@Tag("postgresql") // reads PostgreSQL's locks with SQL and starts a server of its own
class ErasureDuringSwitchIT {

  private static final Path KEY_DIR = Path.of(System.getProperty("guardian.keyDir"));
  private static final BackupClient A = BackupClient.ofServerUnderTest();
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-switch-officer", "privacy-officer"));
  private static final int RECORDS = 50;

  @Test
  void anErasureOnAnotherInstanceDuringTheSwitchIsHonouredAfterIt() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target"), "switch-server-").toAbsolutePath();
    // Started before the restore: a start empties the staging copies a killed restore left.
    try (SecondServer b =
        SecondServer.start(
            "guardianStore-switch-b",
            Map.of(
                "KEY_DIR", KEY_DIR.toString(),
                "BACKUP_DIR", root.resolve("backups").toString()))) {
      KeyOperator.awaitReady(b.serverUrl());
      BackupClient onB = new BackupClient(b.baseUrl());
      String erased = "switch-erased-" + UUID.randomUUID();
      String kept = "switch-kept-" + UUID.randomUUID();
      RestoreIsolationIT.seed(erased, RECORDS);
      RestoreIsolationIT.seed(kept, 5);
      String erasedId = A.recordsOf("interactions", erased).get(0).getString("id");
      String id = A.backUp().getString("backupId");

      Api.Reply erasure;
      JsonObject job;
      try (Connection holder = Database.connect()) {
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
          lock.execute("LOCK TABLE metrics IN SHARE MODE");
        }
        Api.Reply started = A.startRestore(id, true);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long execution = started.object().getJsonNumber("executionId").longValue();
        int switching =
            awaitWaiting(
                "SELECT l.pid FROM pg_locks l JOIN pg_class c"
                    + " ON c.oid = l.relation WHERE c.relname = 'metrics' AND NOT l.granted",
                List.of());
        CompletableFuture<Api.Reply> erasing =
            CompletableFuture.supplyAsync(
                () -> OFFICER.delete(b.baseUrl() + "/api/privacy/users/" + erased, null));
        int erasingPid =
            awaitWaiting(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()",
                List.of(switching, pid(holder)));
        assertThat(erasingPid).as("the erasure waits").isPositive();
        holder.commit(); // the switch goes on, and commits
        erasure = erasing.get();
        job = A.await(execution);
      }

      assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
      assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
      // It deleted the records the switch brought back: it ran after the switch had committed.
      assertThat(erasure.object().getJsonObject("erased").getInt("interactions"))
          .as(erasure.toString())
          .isEqualTo(RECORDS);
      for (BackupClient server : List.of(A, onB)) {
        assertThat(server.count("interactions", "userId=eq." + Api.q(erased)))
            .as(server.baseUrl())
            .isZero();
        Api.Reply read =
            server.service().get(server.baseUrl() + "/api/collections/interactions/" + erasedId);
        assertThat(read.status()).as(read.toString()).isEqualTo(404);
        assertThat(server.count("interactions", "userId=eq." + Api.q(kept)))
            .as(server.baseUrl())
            .isEqualTo(5);
      }
      assertThat(
              ((Number)
                      Database.single(
                          "SELECT count(*) FROM erasures WHERE user_id = ? AND id = ?",
                          erased,
                          UUID.fromString(erasure.object().getString("receiptId"))))
                  .longValue())
          .as("the erasure is recorded")
          .isEqualTo(1);
    }
  }

  /**
   * Waits (two minutes at most) until the query, which lists backends' pids, names one not among
   * {@code others}; returns it.
   */
  private static int awaitWaiting(String query, List<Integer> others) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (Connection connection = Database.connect();
        PreparedStatement statement = connection.prepareStatement(query)) {
      while (System.nanoTime() < deadline) {
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            int pid = result.getInt(1);
            if (!others.contains(pid) && pid != pid(connection)) {
              return pid;
            }
          }
        }
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("nothing came to wait within 2 minutes: " + query);
  }

  private static int pid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
      result.next();
      return result.getInt(1);
    }
  }
}
