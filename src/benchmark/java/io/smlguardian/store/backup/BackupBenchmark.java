package io.smlguardian.store.backup;

import io.smlguardian.store.benchmark.BenchmarkOutcome;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Backup and restore of a large store beside pg_dump and pg_restore of the same tables on the same
 * database ({@code mvn -Pbenchmark-backup verify} against a PostgreSQL whose client tools match its
 * version; see the README; not a test). Loads {@code benchmark.rows} records (default 1,000,000:
 * 90% interactions, then sessions, emotional states and memories with sealed-looking content), then
 * times, each from its own start to its end:
 *
 * <ul>
 *   <li>the backup job (POST /api/backups), and {@code pg_dump -Fc} of the eleven tables;
 *   <li>the restore job into the emptied tables (POST /api/backups/{id}/restore: every checksum
 *       recomputed, then every record written), {@code pg_restore --data-only} into the same
 *       emptied tables, and a full {@code pg_restore --clean} (tables and indexes recreated).
 * </ul>
 *
 * Times of the jobs are their own start and end as Jakarta Batch records them. Each is run {@code
 * benchmark.repeats} times (default 3), alternating with its counterpart, and the table gives the
 * best and the median: the machine is shared, and single runs vary by a factor of two.
 */
public final class BackupBenchmark {

  private static final List<String> TABLES = Samples.BACKUP_TABLES;

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.guarded(BackupBenchmark::run);
  }

  private static void run() throws Exception {
    Class.forName("org.postgresql.Driver");
    int rows = Integer.getInteger("benchmark.rows", 1_000_000);
    int repeats = Integer.getInteger("benchmark.repeats", 3);
    BackupClient server = BackupClient.ofServerUnderTest();
    Path work = Files.createTempDirectory("backup-benchmark-");
    Path dump = work.resolve("tables.dump");

    log("loading " + rows + " records");
    long loaded = load(rows);
    log("loaded " + loaded + " records");

    // Each tool in turn, several times: this machine is shared, so one run says little.
    List<Double> backups = new ArrayList<>();
    List<Double> dumps = new ArrayList<>();
    String id = null;
    long size = 0;
    for (int run = 1; run <= repeats; run++) {
      if (id != null) {
        server.delete("/api/backups/" + id);
      }
      JsonObject backup = job(server, server.post("/api/backups"));
      id = backup.getJsonObject("result").getString("backupId");
      size = backup.getJsonObject("result").getJsonNumber("size").longValue();
      backups.add(seconds(backup));
      Files.deleteIfExists(dump);
      List<String> command =
          new ArrayList<>(List.of(tool("pg_dump"), "-Fc", "-f", dump.toString(), "-d", database()));
      TABLES.forEach(t -> command.addAll(List.of("-t", t)));
      command.addAll(connection());
      dumps.add(run(command));
      log(
          "run "
              + run
              + ": backup "
              + backups.get(run - 1)
              + " s, pg_dump "
              + dumps.get(run - 1)
              + " s");
    }
    long jsonBytes =
        server
            .get("/api/backups/" + id)
            .object()
            .getJsonObject("manifest")
            .getJsonArray("entries")
            .stream()
            .mapToLong(e -> e.asJsonObject().getJsonNumber("contentBytes").longValue())
            .sum();

    List<Double> restores = new ArrayList<>();
    List<Double> pgRestores = new ArrayList<>();
    long restored = 0;
    long pgRestored = 0;
    for (int run = 1; run <= repeats; run++) {
      empty();
      // Forced: the ledger has grown past the archive's end since the backup (the benchmark's own
      // requests are audited), and a restore that would roll it back is refused unless forced.
      restores.add(seconds(job(server, server.startRestore(id, false, true))));
      restored = total();
      empty();
      List<String> command =
          new ArrayList<>(List.of(tool("pg_restore"), "--data-only", "-d", database()));
      command.addAll(connection());
      command.add(dump.toString());
      pgRestores.add(run(command));
      pgRestored = total();
      log(
          "run "
              + run
              + ": restore "
              + restores.get(run - 1)
              + " s, pg_restore --data-only "
              + pgRestores.get(run - 1)
              + " s");
    }
    List<String> full =
        new ArrayList<>(List.of(tool("pg_restore"), "--clean", "--if-exists", "-d", database()));
    full.addAll(connection());
    full.add(dump.toString());
    double fullRestore = run(full);

    long dumpBytes = Files.size(dump);
    empty();
    server.delete("/api/backups/" + id);
    Files.deleteIfExists(dump);
    Files.deleteIfExists(work);

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Backup benchmark, %s, %d cores, PostgreSQL %s, %,d records (90%% interactions), %d runs"
            + " each%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Database.single("SHOW server_version"),
        loaded,
        repeats);
    System.out.println("| operation | best s | median s | all runs s | bytes | best vs best |");
    System.out.println("|---|---:|---:|---|---:|---:|");
    row("backup job (JSON lines, gzip, SHA-256)", backups, size, min(backups) / min(dumps));
    row("pg_dump -Fc", dumps, dumpBytes, 1);
    row(
        "restore job (checksums, then multi-row INSERTs)",
        restores,
        0,
        min(restores) / min(pgRestores));
    row("pg_restore --data-only (into the same tables)", pgRestores, 0, 1);
    row(
        "pg_restore --clean (tables and indexes recreated), once",
        List.of(fullRestore),
        0,
        fullRestore / min(pgRestores));
    System.out.printf(
        Locale.ROOT,
        "Records restored: %,d by the restore job, %,d by pg_restore. The backup's JSON lines"
            + " before compression: %,d bytes.%n",
        restored,
        pgRestored,
        jsonBytes);
    System.out.println(
        "Target: backup and restore within 1.5x of pg_dump's and pg_restore's time.");
  }

  private static void row(String what, List<Double> seconds, long bytes, double ratio) {
    List<Double> sorted = seconds.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "| %s | %.2f | %.2f | %s | %s | %.2fx |%n",
        what,
        sorted.get(0),
        sorted.get(sorted.size() / 2),
        String.join(
            ", ", seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList()),
        bytes == 0 ? "" : String.format(Locale.ROOT, "%,d", bytes),
        ratio);
  }

  private static double min(List<Double> seconds) {
    return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /** Waits for a job the reply started; it must complete. */
  private static JsonObject job(BackupClient server, Api.Reply started) {
    if (started.status() != 202) {
      throw new IllegalStateException("could not start the job: " + started);
    }
    JsonObject job = server.await(started.object().getJsonNumber("executionId").longValue());
    if (!job.getString("status").equals("COMPLETED")) {
      throw new IllegalStateException("the job did not complete: " + job);
    }
    return job;
  }

  /**
   * Replaces every table's rows: 90% interactions, 5% sessions, 3% emotional states, 2% memories
   * (their patterns and metadata as sealed values look: JSON strings), over 1000 users, all within
   * the last 30 days (nothing is past its retention).
   */
  private static long load(int rows) throws SQLException {
    int interactions = rows * 90 / 100;
    int sessions = rows * 5 / 100;
    int emotions = rows * 3 / 100;
    int memories = rows - interactions - sessions - emotions;
    try (Connection connection = Database.connect();
        Statement statement = connection.createStatement()) {
      empty(statement);
      String time = "now() - (i % 2592000) * interval '1 second'";
      statement.execute(
          "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
              + " response_time, agent_mode, timestamp) SELECT gen_random_uuid(), now(), 1,"
              + " 'bench-' || (i % 1000), 'bench-session-' || (i % 50000), 'chat',"
              + " (i % 997) / 10.0, 'mirror', "
              + time
              + " FROM generate_series(1, "
              + interactions
              + ") AS i");
      statement.execute(
          "INSERT INTO sessions (id, created_at, version, user_id, session_id, start_time,"
              + " end_time, metadata) SELECT gen_random_uuid(), now(), 1, 'bench-' || (i % 1000),"
              + " 'bench-session-' || i, "
              + time
              + ", null, '{\"device\":\"phone\",\"app\":\"2.1\"}'::jsonb"
              + " FROM generate_series(1, "
              + sessions
              + ") AS i");
      statement.execute(
          "INSERT INTO emotional_states (id, created_at, version, user_id, emotion, intensity,"
              + " stability, timestamp) SELECT gen_random_uuid(), now(), 1, 'bench-' || (i % 1000),"
              + " (ARRAY['joy','calm','anxious','sad'])[i % 4 + 1], (i % 100) / 100.0,"
              + " (i % 50) / 50.0, "
              + time
              + " FROM generate_series(1, "
              + emotions
              + ") AS i");
      statement.execute(
          "INSERT INTO memories (id, created_at, version, user_id, type, strength, patterns,"
              + " metadata, timestamp) SELECT gen_random_uuid(), now(), 1, 'bench-' || (i % 1000),"
              + " 'success_pattern', (i % 100) / 100.0,"
              + " to_jsonb('gse1:' || gen_random_uuid() || ':' || encode(sha256(i::text::bytea),"
              + " 'base64')), to_jsonb('gse1:' || gen_random_uuid() || ':' ||"
              + " encode(sha256((i + 1)::text::bytea), 'base64')), "
              + time
              + " FROM generate_series(1, "
              + memories
              + ") AS i");
      statement.execute("VACUUM ANALYZE");
    }
    return total();
  }

  private static void empty() throws SQLException {
    try (Connection connection = Database.connect();
        Statement statement = connection.createStatement()) {
      empty(statement);
      statement.execute("VACUUM ANALYZE");
    }
  }

  private static void empty(Statement statement) throws SQLException {
    statement.execute("TRUNCATE " + String.join(", ", TABLES));
  }

  private static long total() {
    long total = 0;
    for (String table : TABLES) {
      total += Database.rows(table);
    }
    return total;
  }

  private static double seconds(JsonObject job) {
    return Duration.between(
                Instant.parse(job.getString("start")), Instant.parse(job.getString("end")))
            .toMillis()
        / 1000.0;
  }

  /** Runs a client tool; returns its wall time in seconds. */
  private static double run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    String password = System.getProperty("guardian.db.password", "");
    if (!password.isEmpty() && !password.startsWith("${")) {
      builder.environment().put("PGPASSWORD", password);
    }
    long began = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - began) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException(command.get(0) + " failed with exit code " + exit);
    }
    return seconds;
  }

  private static String tool(String name) {
    return System.getProperty("benchmark." + name, name);
  }

  /** Host, port and user of the database the server uses, for the client tools. */
  private static List<String> connection() {
    URI uri = URI.create(System.getProperty("guardian.db.url").substring("jdbc:".length()));
    return List.of(
        "-h",
        uri.getHost(),
        "-p",
        Integer.toString(uri.getPort()),
        "-U",
        System.getProperty("guardian.db.user"));
  }

  private static String database() {
    URI uri = URI.create(System.getProperty("guardian.db.url").substring("jdbc:".length()));
    return uri.getPath().substring(1);
  }

  private static void log(String message) {
    System.out.println(
        "[benchmark] " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
  }
}
