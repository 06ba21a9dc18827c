package io.smlguardian.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL (embedded binaries), through the JPA store. */
class RecordStoreOnPostgresqlTest extends RecordStoreContract {

  @Override
  StoreFixture startFixture() {
    return JpaStoreFixture.postgresql();
  }

  /**
   * The sealer places each block of new entries with one UPDATE. With a trail of many sealed
   * entries (and its statistics, as autovacuum keeps them), that UPDATE must reach the block's
   * entries without reading the trail: it once matched them against a scan of the whole table, a
   * cost growing with every entry ever written. PostgreSQL's own counters of the rows each scan
   * kind read tell which way it went.
   */
  @Test
  void placingABlockReadsTheUnsealedEntriesNotTheWholeTrail() throws Exception {
    JpaStoreFixture postgres = (JpaStoreFixture) fixture();
    int sealed = 20_000;
    List<UUID> block = new ArrayList<>();
    try (Connection c = postgres.connection();
        Statement s = c.createStatement()) {
      s.execute(entries(sealed, "1, g - 1"));
      s.execute(entries(100, "NULL, NULL"));
      try (ResultSet r =
          s.executeQuery(
              "SELECT id FROM access_logs WHERE block_no IS NULL ORDER BY timestamp, id")) {
        while (r.next()) {
          block.add(r.getObject(1, UUID.class));
        }
      }
    }
    try (Connection owner = postgres.ownersConnection();
        Statement s = owner.createStatement()) {
      s.execute("ANALYZE access_logs");
    }
    long[] before = scans();

    long placed =
        postgres
            .client()
            .inTransaction(
                () ->
                    ((io.smlguardian.store.accesslog.LedgerStore) postgres.client().store())
                        .placeInBlock(2, block));

    long[] after = awaitScansCounting(before, block.size());
    assertThat(placed).isEqualTo(block.size());
    assertThat(after[0] - before[0])
        .as("rows read by sequential scans of access_logs")
        .isLessThan(sealed);
    try (Connection c = postgres.connection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), min(block_pos), max(block_pos) FROM access_logs WHERE block_no = 2")) {
      r.next();
      assertThat(List.of(r.getLong(1), r.getLong(2), r.getLong(3)))
          .containsExactly((long) block.size(), 0L, (long) block.size() - 1);
    }
  }

  /** Entries with a MAC, placed as the given block number and position expressions say. */
  private static String entries(int count, String blockAndPosition) {
    return "INSERT INTO access_logs (id, created_at, version, user_id, access_type, timestamp,"
        + " success, principal, mac, block_no, block_pos)"
        + " SELECT gen_random_uuid(), now(), 1, 'user-' || (g % 100), 'read', now() + g * interval"
        + " '1 microsecond', true, 'svc', md5(g::text), "
        + blockAndPosition
        + " FROM generate_series(1, "
        + count
        + ") AS g";
  }

  /** Rows access_logs' sequential scans have read, and rows updated in it, so far. */
  private long[] scans() throws SQLException {
    JpaStoreFixture postgres = (JpaStoreFixture) fixture();
    try (Connection c = postgres.connection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet r =
          s.executeQuery(
              "SELECT coalesce(seq_tup_read, 0), n_tup_upd FROM pg_stat_user_tables"
                  + " WHERE relname = 'access_logs'")) {
        r.next();
        return new long[] {r.getLong(1), r.getLong(2)};
      }
    }
  }

  /**
   * The counters once the placing's connection has reported them (a backend reports its counters
   * when it ends, which is just after the store closes its connection).
   */
  private long[] awaitScansCounting(long[] before, int updates) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long[] now = scans();
    while (now[1] - before[1] < updates && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = scans();
    }
    assertThat(now[1] - before[1])
        .as("rows updated in access_logs")
        .isGreaterThanOrEqualTo(updates);
    return now;
  }
}
