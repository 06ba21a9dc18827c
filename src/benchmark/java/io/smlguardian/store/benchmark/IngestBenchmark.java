package io.smlguardian.store.benchmark;

import io.smlguardian.store.benchmark.LoadRunner.Figures;
import io.smlguardian.store.testsupport.Database;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * <p>The ratio the project targets is sustained ingest records/s over JDBC batch records/s, at
 * least 50%: the table gives it for the records acknowledged and for the records stored end to end.
 * A burst can be acknowledged faster than the flusher stores it (the journal holds the difference,
 * up to its limit); what can be kept up is the end to end rate. The service's runs are preceded by
 * unmeasured rounds of requests (and the journal emptied by a sync), since a freshly started server
 * compiles its hot paths during its first requests; each JDBC run by warm-up calls. Beside the
 * rates, the machine's CPU per record (every process, from {@code /proc/stat}, with what the
 * hypervisor stole): on a virtual machine whose steal moves between runs, the CPU each side needed
 * per record compares them at equal cores. Prints the table and writes it to {@code
 * benchmark.output}.
 */
public final class IngestBenchmark {

  private static final String PATH = "/api/ingest/" + RandomInteractions.COLLECTION;
  private static final int PER_REQUEST = 100;

  private final ServiceCalls service;
  private final ServiceCalls operator;
  private final int requests;
  private final int warmup;
  private final int serverWarmup;
  private final int clients;
  private final RandomInteractions interactions;

  private IngestBenchmark() {
    service = ServiceCalls.ofServerUnderTest("ingest-benchmark", "service");
    operator = ServiceCalls.ofServerUnderTest("ingest-benchmark-op", "operator");
    interactions =
        new RandomInteractions("ingest-bench", Integer.getInteger("benchmark.users", 1000));
    requests = Integer.getInteger("benchmark.calls", 1000);
    warmup = Integer.getInteger("benchmark.warmup", 300);
    serverWarmup = Integer.getInteger("benchmark.serverWarmup", 15000);
    clients = Integer.getInteger("benchmark.clients", 16);
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled("benchmark-ingest.md", () -> new IngestBenchmark().run());
  }

  /** One line of the table. */
  private record Row(
      String what,
      Figures figures,
      int recordsPerCall,
      Double syncSeconds,
      MachineLoad.Cpu machine,
      long recordsOfMachine) {

    /**
     * The machine's CPU (every process: server, PostgreSQL, load generator) per record over the
     * run, its warm-up calls (JDBC) and the sync after it (ingest) included; NaN where it was not
     * measured.
     */
    double machineMicrosPerRecord() {
      return machine == null ? Double.NaN : machine.busyNanos() / 1e3 / recordsOfMachine;
    }

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
    // The server compiles its hot paths during its first tens of thousands of requests, on the
    // cores the measured requests need (after 300 and 3,000 warm-up requests at 4 clients, as
    // before, its JIT compiler still took about 40% of its CPU in the measured run). Both kinds of
    // request therefore first run unmeasured at the measured number of clients, in rounds, until a
    // round costs the server no less CPU per request than the one before (within 5%): the server
    // is then as warm as more requests make it.
    warm("ingest warm-up of 100 records", serverWarmup / 10, PER_REQUEST);
    warm("ingest warm-up of 1 record", serverWarmup, 1);

    for (int perRequest : List.of(PER_REQUEST, 1)) {
      int calls = perRequest == 1 ? requests * 10 : requests;
      sync();
      settle();
      MachineLoad.Cpu before = MachineLoad.cpu();
      // No warm-up requests inside the measured run (the server is warm already): their records,
      // acknowledged before its clock started, would mostly be flushed after, in its time and with
      // its CPU, but not counted among its records (a 300-request warm-up: 7% of the 100-record
      // run's records). The JDBC runs store their warm-up's rows before their clock starts.
      Figures figures =
          LoadRunner.run(
              "ingest of " + perRequest + (perRequest == 1 ? " record" : " records (100 users)"),
              clients,
              0,
              calls,
              c -> i -> ingest(perRequest),
              service::serverCpuNanos);
      long pending = pendingRecords();
      long start = System.nanoTime();
      sync();
      double syncSeconds = (System.nanoTime() - start) / 1e9;
      MachineLoad.Cpu machine = machineSince(before);
      log(
          figures.describe()
              + String.format(
                  Locale.ROOT,
                  "; %,d of %,d records still to flush at its end; sync after it %.2f s",
                  pending,
                  (long) calls * perRequest,
                  syncSeconds)
              + machineLog(machine));
      rows.add(
          new Row(
              figures.operation(),
              figures,
              perRequest,
              syncSeconds,
              machine,
              (long) calls * perRequest));
    }

    for (int perRequest : List.of(PER_REQUEST, 1)) {
      int calls = perRequest == 1 ? requests * 10 : requests;
      settle();
      MachineLoad.Cpu before = MachineLoad.cpu();
      Figures figures =
          LoadRunner.run(
              perRequest == 1
                  ? "JDBC single-row insert (auto-commit)"
                  : "JDBC batch of 100 rows (100 users), one transaction",
              clients,
              warmup,
              calls,
              c -> jdbc(perRequest));
      MachineLoad.Cpu machine = machineSince(before);
      log(figures.describe() + machineLog(machine));
      rows.add(
          new Row(
              figures.operation(),
              figures,
              perRequest,
              null,
              machine,
              (long) (calls + warmup) * perRequest));
    }
    return table(rows);
  }

  /**
   * Gives every measured run, the service's and raw JDBC's alike, the same start: the server quiet
   * (it seals the last run's audit entries after its sync), PostgreSQL checkpointed and running no
   * autovacuum. Polled during a run, PostgreSQL's checkpoints (requested every few hundred MB of
   * WAL) and its autovacuum of the tables written fell at a different point of each run, and the
   * JDBC batch's rate moved by half from one run of the same code to the next. A checkpoint or a
   * vacuum that a run's own writes bring about still falls in that run.
   */
  private void settle() throws Exception {
    Duration waited = service.awaitQuiet(Duration.ofMinutes(1));
    String checkpoint = "checkpointed";
    try (Connection connection = Database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT"); // the build's own PostgreSQL: its superuser
    } catch (SQLException e) {
      checkpoint = "not checkpointed (an external PostgreSQL's user may not take one)";
    }
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(2).toNanos();
    while (((Number)
                    Database.single(
                        "SELECT count(*) FROM pg_stat_activity"
                            + " WHERE backend_type = 'autovacuum worker'"))
                .longValue()
            > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    log(
        String.format(
            Locale.ROOT,
            "server quiet after %.1f s; PostgreSQL %s, no autovacuum after %.1f s more",
            waited.toMillis() / 1000.0,
            checkpoint,
            (System.nanoTime() - start) / 1e9));
  }

  /**
   * Unmeasured rounds of {@code round} requests of {@code perRequest} records at the measured
   * number of clients, until the server's CPU per request stops falling ({@link
   * LoadRunner#warmUntilSteady}). The journal is emptied after each.
   */
  private void warm(String label, int round, int perRequest) throws Exception {
    LoadRunner.warmUntilSteady(
        label,
        clients,
        round,
        c -> n -> ingest(perRequest),
        service::serverCpuNanos,
        () -> {
          try {
            sync();
          } catch (Exception e) {
            throw new IllegalStateException("the sync after a warm-up round failed", e);
          }
        });
  }

  /** One ingest request of {@code count} records, of as many different users. */
  private void ingest(int count) throws Exception {
    List<String> users = interactions.randomUsers(count);
    service.post(
        PATH,
        count == 1 ? RandomInteractions.json(users.get(0)) : RandomInteractions.jsonArray(users),
        202);
  }

  /** The journal's records not yet flushed, from the sync status. */
  private long pendingRecords() throws Exception {
    String status = operator.get("/api/sync", 200).body();
    try (JsonReader reader = Json.createReader(new StringReader(status))) {
      return reader.readObject().getJsonNumber("pendingWrites").longValue();
    }
  }

  private void sync() throws Exception {
    operator.post("/api/sync", "", 200);
  }

  /** A client inserting {@code count} rows per call: a JDBC batch in a transaction, or one row. */
  private LoadRunner.Client jdbc(int count) throws SQLException {
    Connection connection = Database.connect();
    connection.setAutoCommit(count == 1);
    PreparedStatement insert = connection.prepareStatement(RandomInteractions.INSERT);
    return new LoadRunner.Client() {
      @Override
      public void call(int call) throws Exception {
        if (count == 1) {
          RandomInteractions.bind(insert, interactions.randomUser());
          insert.executeUpdate();
          return;
        }
        for (String user : interactions.randomUsers(count)) {
          RandomInteractions.bind(insert, user);
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
            "Ingest benchmark, %s, %d cores, load average %s, PostgreSQL %s on"
                + " loopback; %d clients; %,d measured requests of 100 records (single records:"
                + " %,d); the server warmed first until its CPU per request stopped falling, and"
                + " each JDBC run after %,d warm-up calls; journal fsync on; latencies in ms%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            MachineLoad.averages(),
            Database.single("SHOW server_version"),
            clients,
            requests,
            requests * 10,
            warmup));
    out.append(
        "| run | records/s | p50 | p99 | records/s end to end (with the sync after) |"
            + " records/s of JDBC batch, acknowledged / end to end | server CPU ms/request |"
            + " machine CPU us/record (stolen) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      Figures f = row.figures();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.2f | %.2f | %s | %s | %s | %s |%n",
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
              row.syncSeconds() == null
                  ? String.format(
                      Locale.ROOT,
                      "%.0f%%",
                      100 * row.recordsPerSecond() / jdbcBatch.recordsPerSecond())
                  : String.format(
                      Locale.ROOT,
                      "%.0f%% / %.0f%%",
                      100 * row.recordsPerSecond() / jdbcBatch.recordsPerSecond(),
                      100 * row.endToEndPerSecond() / jdbcBatch.recordsPerSecond()),
              Double.isNaN(f.cpuMillisPerCall())
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", f.cpuMillisPerCall()),
              row.machine() == null
                  ? "-"
                  : String.format(
                      Locale.ROOT,
                      "%.1f (%.0f%%)",
                      row.machineMicrosPerRecord(),
                      100 * row.machine().stolenShare())));
    }
    Row ingest = rows.get(0);
    if (ingest.machine() != null && jdbcBatch.machine() != null) {
      // The rates compare what each side did with the cores the hypervisor left it; on a virtual
      // machine whose steal moves between the runs, the CPU each needed per record compares them
      // at equal cores.
      out.append(
          String.format(
              Locale.ROOT,
              "%nMachine CPU per record, end to end: %s %.1f us, %s %.1f us: at equal CPU, the"
                  + " service stores %.0f%% of the JDBC batch's rate.%n",
              ingest.what(),
              ingest.machineMicrosPerRecord(),
              jdbcBatch.what(),
              jdbcBatch.machineMicrosPerRecord(),
              100 * jdbcBatch.machineMicrosPerRecord() / ingest.machineMicrosPerRecord()));
    }
    return out.toString();
  }

  /** The machine's CPU since {@code before}, or null where it cannot be read. */
  private static MachineLoad.Cpu machineSince(MachineLoad.Cpu before) {
    MachineLoad.Cpu now = MachineLoad.cpu();
    return before == null || now == null ? null : now.since(before);
  }

  private static String machineLog(MachineLoad.Cpu machine) {
    return machine == null
        ? ""
        : String.format(
            Locale.ROOT,
            "; machine CPU %.1f s, %.0f%% more stolen by the hypervisor",
            machine.busyNanos() / 1e9,
            100 * machine.stolenShare());
  }

  private static void log(String message) {
    System.out.println("[ingest-benchmark] " + message);
  }
}
