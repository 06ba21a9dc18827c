package io.smlguardian.store.accesslog;

import io.smlguardian.store.benchmark.BenchmarkOutcome;
import io.smlguardian.store.testsupport.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What PostgreSQL does per ingested record under each layout of the audit trail, in SQL alone on
 * the build's PostgreSQL, through JDBC as the server sends it ({@code mvn -Pbenchmark-audit-layout
 * verify}; not a test). Each layout ingests {@code benchmark.records} interactions (default
 * 100,000) of 1,000 users as the flusher writes them: transactions of 1,000 records, each record
 * from a request of 100 records of 100 users, with the requests' audit entries; the sealer's turns
 * then read the unsealed entries back and place them in blocks of 1,000. Beside it, the same
 * records alone in transactions of 100, as the ingest benchmark's JDBC baseline writes them.
 *
 * <p>It prints the wall time and the CPU time of all of PostgreSQL's processes (its background
 * writers and autovacuum included: on Linux, from {@code /proc}, so PostgreSQL must run on this
 * machine), per record, median of {@code benchmark.repeats} rounds (default 3). The layouts:
 *
 * <ul>
 *   <li>an entry per request, collection and owner, placed by a JDBC batch of one UPDATE per entry
 *       (the other backends' placing), with the tables and indexes of migrations V1 to V10, before
 *       the owner table: the entries found by owner through their own indexes on {@code user_id};
 *   <li>the same, placed by one UPDATE per block (PostgreSQL's placing);
 *   <li>the same with ids that begin with their time (UUIDv7, RFC 9562) instead of random ones
 *       (version 4, as the store gives entries): each index on the id takes new entries at its end;
 *       not built;
 *   <li>the same, never read back nor placed: what writing the entries alone costs;
 *   <li>an entry per request and collection naming its owners, with a narrow link table from each
 *       owner to the entry beside the entries' own indexes on {@code user_id}: not built, since a
 *       per-user read would then be "the entry's own user or a link", which PostgreSQL answers by
 *       scanning the whole trail (see docs/audit.md);
 *   <li>the owner table of migrations V11 and V12 for every entry, a row per owner and entry, and
 *       the entries' table without its two indexes on the owner: every per-user read is a semi-join
 *       from the owner table; with an entry per owner (what every access of one user's data writes)
 *       and with an entry per request naming its owners (what an ingest request of several users'
 *       records writes). Built.
 * </ul>
 *
 * <p>The tables live in a schema of their own ({@code audit_layout_bench}), dropped at the end.
 */
public final class AuditLayoutBenchmark {

  private static final int USERS = 1_000;
  private static final int REQUEST = 100;
  private static final int FLUSH = 1_000;
  private static final int BLOCK = 1_000;
  private static final String MAC = "0".repeat(64);

  private enum Layout {
    RECORDS_ONLY("records alone, 100 per transaction (the JDBC baseline's rows)"),
    ENTRY_PER_OWNER_BATCHED("an entry per owner, placed by a batch of UPDATEs per entry"),
    ENTRY_PER_OWNER_ONE_UPDATE("an entry per owner, placed by one UPDATE per block"),
    ENTRY_PER_OWNER_TIME_ORDERED(
        "an entry per owner with time-ordered ids (UUIDv7), placed by one UPDATE per block"),
    ENTRY_PER_OWNER_NEVER_PLACED("an entry per owner, written but never read back nor placed"),
    ENTRY_PER_REQUEST_LINKED("an entry per request naming its owners, an owner link per record"),
    OWNER_TABLE_PER_OWNER(
        "an entry per owner, found by owner through the owner table alone, placed by one UPDATE"),
    OWNER_TABLE_PER_REQUEST(
        "an entry per request naming its owners, found by owner through the owner table alone");

    final String description;

    Layout(String description) {
      this.description = description;
    }
  }

  private record Round(double wallMicros, double cpuMicros) {}

  private final Connection connection;
  private final Random random = new Random(1);

  private AuditLayoutBenchmark(Connection connection) {
    this.connection = connection;
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.guarded(AuditLayoutBenchmark::run);
  }

  private static void run() throws Exception {
    // exec:java runs this in its own class loader, which DriverManager's service lookup misses.
    Class.forName("org.postgresql.Driver");
    int records = Integer.getInteger("benchmark.records", 100_000);
    int repeats = Integer.getInteger("benchmark.repeats", 3);
    try (Connection connection = Database.connect()) {
      AuditLayoutBenchmark benchmark = new AuditLayoutBenchmark(connection);
      String version = benchmark.single("SHOW server_version");
      Map<Layout, List<Round>> rounds = new LinkedHashMap<>();
      try {
        for (int round = 1; round <= repeats; round++) {
          for (Layout layout : Layout.values()) {
            Round measured = benchmark.measure(layout, records);
            System.out.printf(
                Locale.ROOT,
                "[benchmark] round %d, %s: %.1f us wall, %.1f us PostgreSQL CPU per record%n",
                round,
                layout.description,
                measured.wallMicros(),
                measured.cpuMicros());
            rounds.computeIfAbsent(layout, k -> new ArrayList<>()).add(measured);
          }
        }
      } finally {
        benchmark.execute("DROP SCHEMA IF EXISTS audit_layout_bench CASCADE");
      }
      String table = table(rounds, records, repeats, version);
      System.out.println(table);
      Path output = BenchmarkOutcome.output("benchmark-audit-layout.md");
      Files.writeString(output, table);
      System.out.println("[benchmark] table written to " + output);
    }
  }

  private static String table(
      Map<Layout, List<Round>> rounds, int records, int repeats, String version) {
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            Locale.ROOT,
            "Audit layouts, %s, PostgreSQL %s, %,d records of %,d users per layout, median of %d"
                + " rounds%n%n",
            Instant.now().truncatedTo(ChronoUnit.MINUTES),
            version,
            records,
            USERS,
            repeats));
    table.append(
        "| layout | us wall per record | us PostgreSQL CPU per record | vs records alone |\n");
    table.append("|---|---:|---:|---:|\n");
    double baseline = median(rounds.get(Layout.RECORDS_ONLY).stream().map(Round::cpuMicros));
    for (Map.Entry<Layout, List<Round>> layout : rounds.entrySet()) {
      double wall = median(layout.getValue().stream().map(Round::wallMicros));
      double cpu = median(layout.getValue().stream().map(Round::cpuMicros));
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.2fx |%n",
              layout.getKey().description,
              wall,
              cpu,
              cpu / baseline));
    }
    return table.toString();
  }

  private static double median(Stream<Double> values) {
    List<Double> sorted = new ArrayList<>(values.toList());
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private Round measure(Layout layout, int records) throws Exception {
    createTables(layout);
    long cpuBefore = PostgresProcesses.cpuMillis();
    long start = System.nanoTime();
    connection.setAutoCommit(false);
    try {
      if (layout == Layout.RECORDS_ONLY) {
        for (int written = 0; written < records; written += REQUEST) {
          insertRecords(REQUEST);
          connection.commit();
        }
      } else {
        ingest(layout, records);
      }
    } finally {
      connection.setAutoCommit(true);
    }
    double wallMicros = (System.nanoTime() - start) / 1_000.0 / records;
    // What the writes left to do in the background (dirty pages, WAL) is part of their cost.
    execute("CHECKPOINT");
    double cpuMicros = (PostgresProcesses.cpuMillis() - cpuBefore) * 1_000.0 / records;
    return new Round(wallMicros, cpuMicros);
  }

  /** The flusher's transactions, each followed by the sealer's turns that its entries fill. */
  private void ingest(Layout layout, int records) throws SQLException {
    boolean perRequest =
        layout == Layout.ENTRY_PER_REQUEST_LINKED || layout == Layout.OWNER_TABLE_PER_REQUEST;
    int entriesPerBlock = perRequest ? BLOCK / REQUEST : BLOCK;
    long unsealed = 0;
    long block = 0;
    for (int written = 0; written < records; written += FLUSH) {
      List<String> owners = insertRecords(FLUSH);
      List<UUID> entries = new ArrayList<>();
      List<String> entryOwners = new ArrayList<>();
      if (perRequest) {
        List<String[]> links = new ArrayList<>();
        for (int request = 0; request < FLUSH / REQUEST; request++) {
          UUID entry = UUID.randomUUID();
          TreeSet<String> named =
              new TreeSet<>(owners.subList(request * REQUEST, (request + 1) * REQUEST));
          entries.add(entry);
          entryOwners.add(String.join("\n", named));
          named.forEach(owner -> links.add(new String[] {owner, entry.toString()}));
        }
        insertEntries(entries, Collections.nCopies(entries.size(), "several"), entryOwners);
        insertLinks(links);
      } else {
        for (int i = 0; i < FLUSH; i++) {
          entries.add(
              layout == Layout.ENTRY_PER_OWNER_TIME_ORDERED ? timeOrderedId() : UUID.randomUUID());
        }
        insertEntries(entries, owners, Collections.nCopies(entries.size(), null));
        if (layout == Layout.OWNER_TABLE_PER_OWNER) {
          List<String[]> links = new ArrayList<>();
          for (int i = 0; i < FLUSH; i++) {
            links.add(new String[] {owners.get(i), entries.get(i).toString()});
          }
          insertLinks(links);
        }
      }
      connection.commit();
      unsealed += entries.size();
      boolean last = written + FLUSH >= records;
      boolean placing = layout != Layout.ENTRY_PER_OWNER_NEVER_PLACED;
      while (placing && (unsealed >= entriesPerBlock || (last && unsealed > 0))) {
        unsealed -= seal(layout, ++block, entriesPerBlock);
        connection.commit();
      }
    }
  }

  /** A UUIDv7: 48 bits of Unix time in milliseconds, the version, then random bits. */
  private UUID timeOrderedId() {
    long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0xfff);
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  private String user() {
    return "audit-layout-u" + random.nextInt(USERS);
  }

  /** Records as the store inserts them: one multi-row INSERT that skips stored ids. */
  private List<String> insertRecords(int count) throws SQLException {
    List<String> owners = new ArrayList<>(count);
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
                + " response_time, agent_mode, timestamp) VALUES "
                + rows(count, 9)
                + " ON CONFLICT (id) DO NOTHING")) {
      int parameter = 1;
      for (int i = 0; i < count; i++) {
        String owner = user();
        owners.add(owner);
        insert.setObject(parameter++, UUID.randomUUID());
        insert.setTimestamp(parameter++, now);
        insert.setLong(parameter++, 1);
        insert.setString(parameter++, owner);
        insert.setString(parameter++, "session-" + owner);
        insert.setString(parameter++, "message");
        insert.setDouble(parameter++, 12.5);
        insert.setString(parameter++, "assistant");
        insert.setTimestamp(parameter++, now);
      }
      insert.executeUpdate();
    }
    return owners;
  }

  private void insertEntries(List<UUID> ids, List<String> users, List<String> owners)
      throws SQLException {
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO access_logs (id, created_at, version, user_id, access_type, timestamp,"
                + " ip_address, success, reason, principal, collection, operation, mac, owners)"
                + " VALUES "
                + rows(ids.size(), 14)
                + " ON CONFLICT (id) DO NOTHING")) {
      int parameter = 1;
      for (int i = 0; i < ids.size(); i++) {
        insert.setObject(parameter++, ids.get(i));
        insert.setTimestamp(parameter++, now);
        insert.setLong(parameter++, 1);
        insert.setString(parameter++, users.get(i));
        insert.setString(parameter++, "write");
        insert.setTimestamp(parameter++, now);
        insert.setString(parameter++, "127.0.0.1");
        insert.setBoolean(parameter++, true);
        insert.setString(parameter++, null);
        insert.setString(parameter++, "benchmark-service");
        insert.setString(parameter++, "interactions");
        insert.setString(parameter++, "ingest");
        insert.setString(parameter++, MAC);
        insert.setString(parameter++, owners.get(i));
      }
      insert.executeUpdate();
    }
  }

  private void insertLinks(List<String[]> links) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO access_log_owners (user_id, entry_id) VALUES "
                + rows(links.size(), 2)
                + " ON CONFLICT DO NOTHING")) {
      int parameter = 1;
      for (String[] link : links) {
        insert.setString(parameter++, link[0]);
        insert.setObject(parameter++, UUID.fromString(link[1]));
      }
      insert.executeUpdate();
    }
  }

  /** One sealer turn: the oldest unsealed entries read back whole, placed, and the block stored. */
  private int seal(Layout layout, long block, int limit) throws SQLException {
    List<UUID> ids = new ArrayList<>(limit);
    try (PreparedStatement unsealed =
        connection.prepareStatement(
            "SELECT id, created_at, version, user_id, access_type, timestamp, ip_address, success,"
                + " reason, principal, collection, operation, mac, owners FROM access_logs"
                + " WHERE block_no IS NULL AND mac IS NOT NULL ORDER BY timestamp, id LIMIT ?")) {
      unsealed.setInt(1, limit);
      try (ResultSet entries = unsealed.executeQuery()) {
        while (entries.next()) {
          ids.add(entries.getObject(1, UUID.class));
          for (int column = 2; column <= 14; column++) {
            entries.getObject(column);
          }
        }
      }
    }
    if (layout == Layout.ENTRY_PER_OWNER_BATCHED) {
      try (PreparedStatement place =
          connection.prepareStatement(
              "UPDATE access_logs SET block_no = ?, block_pos = ?"
                  + " WHERE id = ? AND block_no IS NULL")) {
        for (int position = 0; position < ids.size(); position++) {
          place.setLong(1, block);
          place.setLong(2, position);
          place.setObject(3, ids.get(position));
          place.addBatch();
        }
        place.executeBatch();
      }
    } else {
      try (PreparedStatement place =
          connection.prepareStatement(
              "UPDATE access_logs SET block_no = ?, block_pos = placed.position - 1"
                  + " FROM unnest(?::uuid[]) WITH ORDINALITY AS placed(id, position)"
                  + " WHERE access_logs.id = placed.id AND block_no IS NULL")) {
        place.setLong(1, block);
        place.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
        place.executeUpdate();
      }
    }
    try (PreparedStatement store =
        connection.prepareStatement("INSERT INTO audit_blocks VALUES (?, ?, ?)")) {
      store.setObject(1, UUID.randomUUID());
      store.setLong(2, block);
      store.setString(3, MAC);
      store.executeUpdate();
    }
    return ids.size();
  }

  private static String rows(int count, int columns) {
    String row = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
    return String.join(", ", Collections.nCopies(count, row));
  }

  /**
   * The tables and indexes of migrations V1 to V10 with the owners column and the link table; for
   * the owner table layouts, V11 and V12's: the owner table indexed by record too, and the entries
   * without their indexes on the owner.
   */
  private void createTables(Layout layout) throws SQLException {
    boolean ownerTableAlone =
        layout == Layout.OWNER_TABLE_PER_OWNER || layout == Layout.OWNER_TABLE_PER_REQUEST;
    execute("DROP SCHEMA IF EXISTS audit_layout_bench CASCADE");
    execute("CREATE SCHEMA audit_layout_bench");
    execute("SET search_path TO audit_layout_bench");
    execute(
        "CREATE TABLE interactions (id uuid PRIMARY KEY, created_at timestamptz NOT NULL,"
            + " version bigint NOT NULL, user_id varchar(128) NOT NULL,"
            + " session_id varchar(128) NOT NULL, type varchar(64) NOT NULL,"
            + " response_time double precision, agent_mode varchar(64),"
            + " timestamp timestamptz NOT NULL)");
    execute("CREATE INDEX ON interactions (user_id, timestamp DESC)");
    execute("CREATE INDEX ON interactions (session_id, timestamp)");
    execute("CREATE INDEX ON interactions (timestamp, id)");
    execute("CREATE INDEX ON interactions (user_id, id)");
    execute(
        "CREATE TABLE access_logs (id uuid PRIMARY KEY, created_at timestamptz NOT NULL,"
            + " version bigint NOT NULL, user_id varchar(128) NOT NULL,"
            + " access_type varchar(64) NOT NULL, timestamp timestamptz NOT NULL,"
            + " ip_address varchar(64), success boolean NOT NULL, reason varchar(1000),"
            + " principal varchar(256), collection varchar(64), operation varchar(256),"
            + " seq bigint, prev_hash varchar(64), hash varchar(64), mac varchar(64),"
            + " block_no bigint, block_pos bigint, owners text)");
    if (!ownerTableAlone) {
      execute("CREATE INDEX ON access_logs (user_id, timestamp DESC)");
      execute("CREATE INDEX ON access_logs (user_id, id)");
    }
    execute("CREATE INDEX ON access_logs (timestamp, id)");
    execute("CREATE INDEX ON access_logs (principal, timestamp DESC)");
    execute("CREATE UNIQUE INDEX ON access_logs (user_id, seq) WHERE seq IS NOT NULL");
    execute("CREATE UNIQUE INDEX ON access_logs (block_no, block_pos) WHERE block_no IS NOT NULL");
    execute(
        "CREATE INDEX ON access_logs (timestamp, id) WHERE block_no IS NULL AND mac IS NOT NULL");
    execute(
        "CREATE TABLE access_log_owners (user_id varchar(128) NOT NULL, entry_id uuid NOT NULL,"
            + " PRIMARY KEY (user_id, entry_id))");
    if (ownerTableAlone) {
      // Retention and restores remove an entry's owner rows by the entry.
      execute("CREATE INDEX ON access_log_owners (entry_id)");
    }
    execute(
        "CREATE TABLE audit_blocks (id uuid PRIMARY KEY, block_no bigint NOT NULL UNIQUE,"
            + " hash varchar(64) NOT NULL)");
    execute("VACUUM ANALYZE");
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private String single(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  /** The CPU time of every process named postgres on this machine (Linux), for a difference. */
  private static final class PostgresProcesses {

    /** Linux's clock ticks per second, as /proc reports CPU times in ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    static long cpuMillis() throws Exception {
      long ticks = 0;
      try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path process : processes) {
          ticks += cpuTicks(process);
        }
      }
      return ticks * 1_000 / TICKS_PER_SECOND;
    }

    /** utime and stime of a postgres process; 0 for another or one that just ended. */
    private static long cpuTicks(Path process) {
      try {
        if (!Files.readString(process.resolve("comm")).startsWith("postgres")) {
          return 0;
        }
        String stat = Files.readString(process.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (Exception ended) {
        return 0;
      }
    }
  }
}
