package io.smlguardian.store.benchmark;

import io.smlguardian.store.benchmark.LoadRunner.Figures;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sustained write-behind ingest against raw JDBC batch inserts of the same records into the same
 * PostgreSQL, in one run ({@code mvn -Pbenchmark-ingest verify}; not a test). At {@code
 * benchmark.clients} (16) concurrent clients, each sending its next request as soon as the last one
 * was answered:
 *
 * <ul>
 *   <li>ingest of 100-record requests, the records of 100 different users each ({@code POST
 *       /api/ingest/interactions}), and of single-record requests: records/s acknowledged (202,
 *       durable in the journal, fsync on) and the acknowledgment's p50/p99;
 *   <li>the flush that follows: a manual sync right after the measured requests, which answers once
 *       every acknowledged record is in PostgreSQL; records/s end to end is the records over the
 *       requests' time plus the sync's (while the requests ran, the flusher wrote full batches
 *       beside them, on the same cores);
 *   <li>raw JDBC: the same rows as 100-row JDBC batches, one transaction each, one connection per
 *       client, and as single-row inserts in auto-commit: what PostgreSQL takes with nothing else.
 * </ul>
 *
 * <p>The ratio the project targets is ingest records/s over JDBC batch records/s, at least 50%.
 * Each run is preceded by unmeasured warm-up requests (and the journal emptied by a sync), since a
 * freshly started server compiles its hot paths during its first requests. Prints the table and
 * writes it to {@code benchmark.output}.
 */
public final class IngestBenchmark {

  private static final String COLLECTION = "interactions";
  private static final String PATH = "/api/ingest/" + COLLECTION;
  private static final List<String> TYPES = List.of("chat", "voice", "task", "reflection");
  private static final int PER_REQUEST = 100;
  private static final String INSERT =
      "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
          + " response_time, agent_mode, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final ServiceCalls service;
  private final ServiceCalls operator;
  private final int users;
  private final int requests;
  private final int warmup;
  private final int clients;
  private final String userPrefix;

  private IngestBenchmark() {
    String baseUrl = System.getProperty("guardian.baseUrl", "http://localhost:9080/guardian-store");
    service = new ServiceCalls(baseUrl, TestTokens.token("ingest-benchmark", "service"));
    operator = new ServiceCalls(baseUrl, TestTokens.token("ingest-benchmark-op", "operator"));
    users = Integer.getInteger("benchmark.users", 1000);
    requests = Integer.getInteger("benchmark.calls", 1000);
    warmup = Integer.getInteger("benchmark.warmup", 300);
    clients = Integer.getInteger("benchmark.clients", 16);
    userPrefix = "ingest-bench-" + Long.toString(System.currentTimeMillis(), 36) + "-u";
  }

  public static void main(String[] args) throws Exception {
    Path output = Path.of(System.getProperty("benchmark.output", "target/benchmark-ingest.md"));
    BenchmarkOutcome.guarded(
        Path.of(output + ".failed"),
        () -> {
          String table = new IngestBenchmark().run();
          System.out.println();
          System.out.println(table);
          Files.createDirectories(output.toAbsolutePath().getParent());
          Files.writeString(output, table);
          log("table written to " + output);
        });
  }

  /** One line of the table. */
  private record Row(String what, Figures figures, int recordsPerCall, Double syncSeconds) {

    double recordsPerSecond() {
      return figures.callsPerSecond() * recordsPerCall;
    }

    /** Records over the measured time plus the sync that stored them all (ingest only). */
    double endToEndPerSecond() {
      return figures.calls() * recordsPerCall / (figures.seconds() + syncSeconds);
    }
  }

  private String run() throws Exception {
    service.awaitReady();
    List<Row> rows = new ArrayList<>();
    // The server compiles its hot paths during its first requests: both kinds of request first run
    // unmeasured, with 4 clients, and the journal is emptied before each measured run.
    log(describe(LoadRunner.run("ingest warm-up", 4, 0, warmup, c -> i -> ingest(PER_REQUEST))));
    log(describe(LoadRunner.run("ingest warm-up", 4, 0, warmup * 10, c -> i -> ingest(1))));

    for (int perRequest : List.of(PER_REQUEST, 1)) {
      int calls = perRequest == 1 ? requests * 10 : requests;
      sync();
      service.awaitQuiet(Duration.ofMinutes(1));
      Figures figures =
          LoadRunner.run(
              "ingest of " + perRequest + (perRequest == 1 ? " record" : " records (100 users)"),
              clients,
              warmup,
              calls,
              c -> i -> ingest(perRequest),
              service::serverCpuNanos);
      long start = System.nanoTime();
      sync();
      double syncSeconds = (System.nanoTime() - start) / 1e9;
      log(describe(figures) + String.format(Locale.ROOT, "; sync after it %.2f s", syncSeconds));
      rows.add(new Row(figures.operation(), figures, perRequest, syncSeconds));
    }

    for (int perRequest : List.of(PER_REQUEST, 1)) {
      int calls = perRequest == 1 ? requests * 10 : requests;
      Figures figures =
          LoadRunner.run(
              perRequest == 1
                  ? "JDBC single-row insert (auto-commit)"
                  : "JDBC batch of 100 rows (100 users), one transaction",
              clients,
              warmup,
              calls,
              c -> jdbc(perRequest));
      log(describe(figures));
      rows.add(new Row(figures.operation(), figures, perRequest, null));
    }
    return table(rows);
  }

  /** One ingest request of {@code count} records, of as many different users. */
  private void ingest(int count) throws Exception {
    StringBuilder body = new StringBuilder(count == 1 ? "" : "[");
    for (String user : randomUsers(count)) {
      body.append(body.length() <= 1 ? "" : ",").append(interactionJson(user));
    }
    if (count > 1) {
      body.append(']');
    }
    service.post(PATH, body.toString(), 202);
  }

  private void sync() throws Exception {
    operator.post("/api/sync", "", 200);
  }

  /** A client inserting {@code count} rows per call: a JDBC batch in a transaction, or one row. */
  private LoadRunner.Client jdbc(int count) throws SQLException {
    Connection connection = Database.connect();
    connection.setAutoCommit(count == 1);
    PreparedStatement insert = connection.prepareStatement(INSERT);
    return new LoadRunner.Client() {
      @Override
      public void call(int call) throws Exception {
        if (count == 1) {
          bind(insert, randomUsers(1).get(0));
          insert.executeUpdate();
          return;
        }
        for (String user : randomUsers(count)) {
          bind(insert, user);
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      }

      @Override
      public void close() throws Exception {
        insert.close();
        connection.close();
      }
    };
  }

  /** {@code count} different users, drawn at random. */
  private List<String> randomUsers(int count) {
    Set<String> drawn = new LinkedHashSet<>();
    while (drawn.size() < count) {
      drawn.add(userPrefix + ThreadLocalRandom.current().nextInt(users));
    }
    return List.copyOf(drawn);
  }

  private static String randomType() {
    return TYPES.get(ThreadLocalRandom.current().nextInt(TYPES.size()));
  }

  private static String interactionJson(String user) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "{\"userId\":\""
        + user
        + "\",\"sessionId\":\"s"
        + random.nextInt(10)
        + "\",\"type\":\""
        + randomType()
        + "\",\"responseTime\":"
        + random.nextInt(500)
        + ",\"agentMode\":\"mirror\",\"timestamp\":\""
        + java.time.Instant.now()
        + "\"}";
  }

  private static void bind(PreparedStatement insert, String user) throws SQLException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    insert.setObject(1, UUID.randomUUID());
    insert.setObject(2, now);
    insert.setLong(3, 1);
    insert.setString(4, user);
    insert.setString(5, "s" + random.nextInt(10));
    insert.setString(6, randomType());
    insert.setDouble(7, random.nextInt(500));
    insert.setString(8, "mirror");
    insert.setObject(9, now);
  }

  private String table(List<Row> rows) throws SQLException {
    Row jdbcBatch =
        rows.stream()
            .filter(r -> r.syncSeconds() == null && r.recordsPerCall() > 1)
            .findFirst()
            .orElseThrow();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Ingest benchmark, %s, %d cores (shared with other builds), PostgreSQL %s on"
                + " loopback; %d clients; %,d measured requests of 100 records (single records:"
                + " %,d) after %,d warm-up requests; journal fsync on; latencies in ms%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            Database.single("SHOW server_version"),
            clients,
            requests,
            requests * 10,
            warmup));
    out.append(
        "| run | records/s | p50 | p99 | records/s end to end (with the sync after) |"
            + " records/s of JDBC batch | server CPU ms/request |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      Figures f = row.figures();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.2f | %.2f | %s | %.0f%% | %s |%n",
              row.what(),
              row.recordsPerSecond(),
              f.p50Millis(),
              f.p99Millis(),
              row.syncSeconds() == null
                  ? "-"
                  : String.format(
                      Locale.ROOT,
                      "%,.0f (sync %.2f s)",
                      row.endToEndPerSecond(),
                      row.syncSeconds()),
              100 * row.recordsPerSecond() / jdbcBatch.recordsPerSecond(),
              Double.isNaN(f.cpuMillisPerCall())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", f.cpuMillisPerCall())));
    }
    return out.toString();
  }

  private static String describe(Figures f) {
    return String.format(
        Locale.ROOT,
        "%s, %d clients: %,d calls in %.2f s, %,.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        f.operation(),
        f.clients(),
        f.calls(),
        f.seconds(),
        f.callsPerSecond(),
        f.p50Millis(),
        f.p99Millis(),
        f.latency().getMaxValue() / 1e6);
  }

  private static void log(String message) {
    System.out.println("[ingest-benchmark] " + message);
  }
}
