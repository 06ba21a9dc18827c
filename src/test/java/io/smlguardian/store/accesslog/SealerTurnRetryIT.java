package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A sealer turn that the database fails and rolls back is tried again before its caller sees the
 * failure: here PostgreSQL picks the turn as a deadlock's victim while an auditor's seal (the same
 * anchor a backup and a restore make) waits for it, and the seal still succeeds, with every entry
 * sealed and the ledger whole.
 *
 * <p>The deadlock is made on purpose: this test's transaction locks the waiting entries, the turn
 * takes the ledger's state row and waits for them to place them, and then this transaction asks for
 * the state row. The turn began waiting first, so its deadlock check (after PostgreSQL's {@code
 * deadlock_timeout}) runs first and aborts the turn, not this transaction. On a second server with
 * a database of its own, whose scheduled sealer waits an hour, so that the auditor's seal makes the
 * only turns.
 */
@Tag("postgresql") // a database of its own in the build's PostgreSQL
@OnItsOwnServers
class SealerTurnRetryIT {

  @Test
  void aTurnThatLostADeadlockIsTriedAgainAndTheSealSucceeds() throws Exception {
    String database = "sealer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Database.create(database);
    Path root = Files.createTempDirectory(Path.of("target"), "sealer-retry-").toAbsolutePath();
    String principal = "it-sealer-retry-" + UUID.randomUUID();
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-sealer-retry",
            SecondServer.withOwnFilesIn(
                root, Map.of("DB_NAME", database, "AUDIT_SEAL_INTERVAL", "3600000")))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I"); // the server is ready
      String base = server.baseUrl();
      Api.Client service = Api.as(TestTokens.token(principal, "service"));
      Api.Client auditor = Api.as(TestTokens.token(principal + "-auditor", "auditor"));

      // A first seal makes the ledger's state row, which the turn under test then locks.
      store(service, base, 3);
      assertThat(seal(auditor, base).status()).isEqualTo(200);

      boolean turnLost = false;
      for (int attempt = 1; attempt <= 3 && !turnLost; attempt++) {
        store(service, base, 5);
        assertThat(unsealed(database, principal)).isPositive();
        try (Connection blocker = Database.connect(database)) {
          blocker.setAutoCommit(false);
          try (Statement statement = blocker.createStatement()) {
            statement.execute("SELECT id FROM access_logs WHERE block_no IS NULL FOR UPDATE");
          }
          CompletableFuture<Api.Reply> sealing =
              CompletableFuture.supplyAsync(() -> seal(auditor, base));
          awaitPlacingBlocked(database, Duration.ofSeconds(30));
          turnLost = lockStateRow(blocker);
          blocker.rollback();

          Api.Reply sealed = sealing.get(60, TimeUnit.SECONDS);
          assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
        }
      }
      assertThat(turnLost).as("the turn was the deadlock's victim in one of 3 attempts").isTrue();
      assertThat(unsealed(database, principal)).as("the records' entries, all sealed").isZero();
      JsonObject ledger = auditor.get(base + "/api/audit/ledger/verification").object();
      assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
    }
  }

  /**
   * Asks for the ledger's state row, which the waiting turn holds. True once granted: the turn
   * cannot commit while it waits for the entries, so it rolled back, the deadlock's victim. False
   * when this transaction was the victim instead (its request came after the turn's deadlock check
   * had found no cycle yet): then the turn goes on and seals, and the test tries again.
   */
  private static boolean lockStateRow(Connection blocker) throws SQLException {
    try (Statement statement = blocker.createStatement()) {
      statement.execute("SELECT last_block FROM audit_ledger FOR UPDATE");
      return true;
    } catch (SQLException e) {
      if ("40P01".equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  private static void store(Api.Client service, String base, int records) {
    for (int i = 0; i < records; i++) {
      Api.Reply stored =
          service.post(
              base + "/api/collections/memories", Samples.record("memories", "sealer-retry-" + i));
      assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
    }
  }

  private static Api.Reply seal(Api.Client auditor, String base) {
    return auditor.post(base + "/api/audit/ledger/seal", "");
  }

  /** The principal's entries not yet in a block (the seals' own entries come after them). */
  private static long unsealed(String database, String principal) throws SQLException {
    try (Connection connection = Database.connect(database);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM access_logs WHERE block_no IS NULL AND principal = ?")) {
      statement.setString(1, principal);
      try (ResultSet count = statement.executeQuery()) {
        count.next();
        return count.getLong(1);
      }
    }
  }

  /** Waits until a session of the server waits for a lock in its UPDATE of the entries. */
  private static void awaitPlacingBlocked(String database, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection connection = Database.connect(database);
        PreparedStatement waiting =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE access_logs%'")) {
      waiting.setString(1, database);
      while (System.nanoTime() < deadline) {
        try (ResultSet count = waiting.executeQuery()) {
          count.next();
          if (count.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the sealer's turn never waited for the locked entries");
  }
}
