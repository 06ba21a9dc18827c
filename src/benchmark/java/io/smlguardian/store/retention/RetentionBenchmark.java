package io.smlguardian.store.retention;

import io.smlguardian.store.benchmark.BenchmarkOutcome;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The retention purge against a plain SQL DELETE, on the server and PostgreSQL the build started
 * ({@code mvn -Pbenchmark-retention verify}; not a test). Loads {@code benchmark.rows} interactions
 * (default 1,000,000), half of them expired, with one generate_series statement; runs the purge job
 * through the server's operations endpoint; reloads the same rows; deletes the expired half with
 * one {@code DELETE ... WHERE timestamp < cutoff}; prints both rates and the longest single
 * statement of the purge (as the job measured it). Each measurement is taken {@code
 * benchmark.repeats} times (default 3) on freshly loaded rows, and the median is printed: one
 * DELETE of half a million rows varies by a third from run to run on this machine.
 */
public final class RetentionBenchmark {

  private static final String USER_PREFIX = "bench-";

  private RetentionBenchmark() {}

  /**
   * @param seconds the job's run, from start to end (all eight partitions, listener, receipt)
   * @param partitionSeconds the time the job spent on interactions
   * @param statementSeconds the part of it spent in the store's reads and deletes
   */
  private record Purge(
      int chunkSize,
      Instant cutoff,
      long rows,
      double seconds,
      double partitionSeconds,
      double statementSeconds,
      double longestStatementMillis) {}

  private record PlainDelete(long rows, double seconds) {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.guarded(RetentionBenchmark::run);
  }

  private static void run() throws Exception {
    // exec:java runs this in its own class loader, which DriverManager's service lookup misses.
    Class.forName("org.postgresql.Driver");
    int rows = Integer.getInteger("benchmark.rows", 1_000_000);
    int repeats = Integer.getInteger("benchmark.repeats", 3);
    List<Integer> chunkSizes =
        Arrays.stream(System.getProperty("benchmark.chunkSizes", "1000,10000,50000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    Api.awaitReady();
    Api.Client operator = Api.as(TestTokens.token("benchmark", "operator"));

    // Unmeasured purges first, of 100 chunks each: a freshly started server's first runs would
    // otherwise time the JIT compiling the purge's code (a server that has run for a day has
    // compiled it), and the first chunk size measured would pay for it.
    for (int i = 1; i <= 2; i++) {
      log("warm-up " + i + ": a purge of 200,000 interactions in chunks of 1,000");
      load(200_000);
      Api.Reply warmUp = operator.post("/api/retention/runs?chunkSize=1000", "");
      if (warmUp.status() != 202) {
        throw new IllegalStateException("could not start the warm-up purge: " + warmUp);
      }
      await(operator, warmUp.object().getJsonNumber("executionId").longValue());
    }

    // Each round: the purge, through the server's job, once per chunk size, then one plain
    // DELETE, each on freshly loaded rows; rounds interleave so that both see the same machine.
    Map<Integer, List<Purge>> purgesByChunkSize = new LinkedHashMap<>();
    List<PlainDelete> deletes = new ArrayList<>();
    long expired = 0;
    for (int round = 1; round <= repeats; round++) {
      Instant cutoff = null;
      for (int chunkSize : chunkSizes) {
        expired = load(rows);
        Purge purge = purge(operator, chunkSize);
        purgesByChunkSize.computeIfAbsent(chunkSize, size -> new ArrayList<>()).add(purge);
        cutoff = purge.cutoff();
      }
      load(rows);
      deletes.add(plainDelete(cutoff));
    }
    cleanUp();
    List<Purge> purges =
        purgesByChunkSize.values().stream()
            .map(runs -> median(runs, Comparator.comparingDouble(Purge::seconds)))
            .toList();
    PlainDelete plain = median(deletes, Comparator.comparingDouble(PlainDelete::seconds));
    long deleted = plain.rows();
    double deleteSeconds = plain.seconds();

    double deleteRate = deleted / deleteSeconds;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Retention benchmark, %s, %d cores, PostgreSQL %s, %,d interactions (%,d expired),"
            + " median of %d runs each%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Database.single("SHOW server_version"),
        rows,
        expired,
        repeats);
    System.out.println(
        "| method | rows deleted | seconds | rows/s | % of plain DELETE"
            + " | longest statement |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Purge purge : purges) {
      double rate = purge.rows() / purge.seconds();
      double partitionRate = purge.rows() / purge.partitionSeconds();
      System.out.printf(
          Locale.ROOT,
          "| retention-purge job, chunks of %,d: whole run | %,d | %.2f | %,.0f | %.0f%% | %.1f ms"
              + " |%n",
          purge.chunkSize(),
          purge.rows(),
          purge.seconds(),
          rate,
          100 * rate / deleteRate,
          purge.longestStatementMillis());
      System.out.printf(
          Locale.ROOT,
          "| ... of which the interactions partition | %,d | %.2f | %,.0f | %.0f%% | |%n",
          purge.rows(),
          purge.partitionSeconds(),
          partitionRate,
          100 * partitionRate / deleteRate);
      System.out.printf(
          Locale.ROOT,
          "| ... of which its reads and deletes | %,d | %.2f | %,.0f | %.0f%% | |%n",
          purge.rows(),
          purge.statementSeconds(),
          purge.rows() / purge.statementSeconds(),
          100 * purge.rows() / purge.statementSeconds() / deleteRate);
    }
    System.out.printf(
        Locale.ROOT,
        "| one plain SQL DELETE | %,d | %.2f | %,.0f | 100%% | %.1f ms |%n",
        deleted,
        deleteSeconds,
        deleteRate,
        deleteSeconds * 1000);
    System.out.println(
        "Targets: a purge rate of at least 50% of the plain DELETE's; no purge statement over"
            + " 1000 ms.");
  }

  /** One run of the job with the given chunk size, on the rows loaded last. */
  private static Purge purge(Api.Client operator, int chunkSize) throws InterruptedException {
    Api.Reply started = operator.post("/api/retention/runs?chunkSize=" + chunkSize, "");
    if (started.status() != 202) {
      throw new IllegalStateException("could not start the purge: " + started);
    }
    JsonObject run = await(operator, started.object().getJsonNumber("executionId").longValue());
    if (!run.getString("status").equals("COMPLETED")) {
      throw new IllegalStateException("the purge did not complete: " + run);
    }
    JsonObject interactions = run.getJsonObject("collections").getJsonObject("interactions");
    Purge purge =
        new Purge(
            chunkSize,
            Instant.parse(interactions.getString("cutoff")),
            interactions.getJsonNumber("purged").longValue(),
            Duration.between(
                        Instant.parse(run.getString("start")), Instant.parse(run.getString("end")))
                    .toMillis()
                / 1000.0,
            interactions.getJsonNumber("durationMillis").longValue() / 1000.0,
            interactions.getJsonNumber("statementMillis").longValue() / 1000.0,
            run.getJsonNumber("longestStatementMillis").doubleValue());
    log(
        "purge, chunks of "
            + chunkSize
            + ": "
            + purge.rows()
            + " rows in "
            + purge.seconds()
            + " s (interactions "
            + purge.partitionSeconds()
            + " s); "
            + count("timestamp < '" + purge.cutoff() + "'")
            + " expired left");
    return purge;
  }

  /** One DELETE of the rows loaded last that are before the cutoff. */
  private static PlainDelete plainDelete(Instant cutoff) throws SQLException {
    try (Connection connection = Database.connect();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM interactions WHERE timestamp < ?")) {
      delete.setTimestamp(1, Timestamp.from(cutoff));
      long began = System.nanoTime();
      long deleted = delete.executeUpdate();
      PlainDelete plain = new PlainDelete(deleted, (System.nanoTime() - began) / 1e9);
      log("plain DELETE: " + deleted + " rows in " + plain.seconds() + " s");
      return plain;
    }
  }

  private static <T> T median(List<T> runs, Comparator<T> order) {
    List<T> sorted = new ArrayList<>(runs);
    sorted.sort(order);
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Replaces the benchmark's rows: every other one 91 to 190 days old (expired under the default 90
   * days), the rest up to 89 days old; spread over 1000 users and 5000 sessions. The table is then
   * compacted, vacuumed and analysed, so both deletes start from the same state: the state
   * autovacuum leaves a table in long before its rows expire (VACUUM FULL alone would leave the
   * visibility map empty, which no table that has lived 90 days has).
   *
   * @return how many of them are expired
   */
  private static long load(int rows) throws SQLException {
    log("loading " + rows + " interactions, half expired");
    long began = System.nanoTime();
    try (Connection connection = Database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM interactions WHERE user_id LIKE '" + USER_PREFIX + "%'");
      statement.execute(
          "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
              + " response_time, agent_mode, timestamp)"
              + " SELECT gen_random_uuid(), now(), 1, '"
              + USER_PREFIX
              + "' || (i % 1000), 'bench-session-' || (i % 5000), 'chat', (i % 997) / 10.0,"
              + " 'mirror', CASE WHEN i % 2 = 0"
              + " THEN now() - interval '91 days' - (i % 8640000) * interval '1 second'"
              + " ELSE now() - (i % 7689600) * interval '1 second' END"
              + " FROM generate_series(1, "
              + rows
              + ") AS i");
      statement.execute("VACUUM FULL interactions");
      statement.execute("VACUUM ANALYZE interactions");
    }
    long expired = count("timestamp < now() - interval '90 days'");
    log("loaded in " + (System.nanoTime() - began) / 1_000_000 + " ms; " + expired + " expired");
    return expired;
  }

  private static void cleanUp() throws SQLException {
    try (Connection connection = Database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM interactions WHERE user_id LIKE '" + USER_PREFIX + "%'");
      statement.execute("VACUUM ANALYZE interactions");
    }
  }

  private static long count(String where) {
    return (Long) Database.single("SELECT count(*) FROM interactions WHERE " + where);
  }

  private static JsonObject await(Api.Client operator, long id) throws InterruptedException {
    Instant deadline = Instant.now().plus(30, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      JsonObject run = operator.get("/api/retention/runs/" + id).object();
      if (Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED").contains(run.getString("status"))) {
        return run;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the purge did not end in 30 minutes");
  }

  private static void log(String message) {
    System.out.println(
        "[benchmark] " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
  }
}
