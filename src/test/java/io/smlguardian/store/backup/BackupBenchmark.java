package io.smlguardian.store.backup;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
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
 * Times of the jobs are their own start and end as Jakarta Batch records them.
 */
public final class BackupBenchmark {

  private static final List<String> TABLES =
      List.of(
          "legal_holds",
          "user_keys",
          "audit_chains",
          "memories",
          "dream_cycles",
          "profile_snapshots",
          "emotional_states",
          "interactions",
          "sessions",
          "access_logs",
          "metrics");

  private BackupBenchmark() {}

  private record Measure(String what, double seconds, long bytes, long rows) {}

  public static void main(String[] args) throws Exception {
    Class.forName("org.postgresql.Driver");
    int rows = Integer.getInteger("benchmark.rows", 1_000_000);
    BackupClient server = BackupClient.ofServerUnderTest();
    List<Measure> measures = new ArrayList<>();
    Path work = Files.createTempDirectory("backup-benchmark-");

    log("loading " + rows + " records");
    long loaded = load(rows);
    log("loaded " + loaded + " records");

    Api.Reply started = server.post("/api/backups");
    if (started.status() != 202) {
      throw new IllegalStateException("could not start the backup: " + started);
    }
    JsonObject backup = server.await(started.object().getJsonNumber("executionId").longValue());
    if (!backup.getString("status").equals("COMPLETED")) {
      throw new IllegalStateException("the backup did not complete: " + backup);
    }
    String id = backup.getJsonObject("result").getString("backupId");
    measures.add(
        new Measure(
            "backup job (JSON lines, gzip, SHA-256)",
            seconds(backup),
            backup.getJsonObject("result").getJsonNumber("size").longValue(),
            backup.getJsonObject("result").getJsonNumber("records").longValue()));
    log("backup " + id + ": " + measures.get(measures.size() - 1));

    Path dump = work.resolve("tables.dump");
    List<String> dumpCommand =
        new ArrayList<>(List.of(tool("pg_dump"), "-Fc", "-f", dump.toString(), "-d", database()));
    TABLES.forEach(t -> dumpCommand.addAll(List.of("-t", t)));
    dumpCommand.addAll(connection());
    double dumpSeconds = run(dumpCommand);
    measures.add(new Measure("pg_dump -Fc", dumpSeconds, Files.size(dump), loaded));
    log("pg_dump: " + measures.get(measures.size() - 1));

    empty();
    Api.Reply restoreStarted = server.startRestore(id, false);
    if (restoreStarted.status() != 202) {
      throw new IllegalStateException("could not start the restore: " + restoreStarted);
    }
    JsonObject restore =
        server.await(restoreStarted.object().getJsonNumber("executionId").longValue());
    if (!restore.getString("status").equals("COMPLETED")) {
      throw new IllegalStateException("the restore did not complete: " + restore);
    }
    long restored = total();
    measures.add(
        new Measure(
            "restore job (checksums, then multi-row INSERTs)", seconds(restore), 0, restored));
    log("restore: " + measures.get(measures.size() - 1));

    empty();
    List<String> dataOnly =
        new ArrayList<>(List.of(tool("pg_restore"), "--data-only", "-d", database()));
    dataOnly.addAll(connection());
    dataOnly.add(dump.toString());
    measures.add(
        new Measure("pg_restore --data-only (into the same tables)", run(dataOnly), 0, total()));
    log("pg_restore --data-only: " + measures.get(measures.size() - 1));

    List<String> full =
        new ArrayList<>(List.of(tool("pg_restore"), "--clean", "--if-exists", "-d", database()));
    full.addAll(connection());
    full.add(dump.toString());
    measures.add(
        new Measure("pg_restore --clean (tables and indexes recreated)", run(full), 0, total()));
    log("pg_restore --clean: " + measures.get(measures.size() - 1));

    empty();
    server.delete("/api/backups/" + id);
    Files.deleteIfExists(dump);
    Files.deleteIfExists(work);

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Backup benchmark, %s, %d cores, PostgreSQL %s, %,d records (%s)%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Database.single("SHOW server_version"),
        loaded,
        "90% interactions");
    System.out.println(
        "| operation | seconds | bytes | records | vs pg_dump / pg_restore --data-only |");
    System.out.println("|---|---:|---:|---:|---:|");
    double dumpTime = measures.get(1).seconds();
    double restoreTime = measures.get(3).seconds();
    for (int i = 0; i < measures.size(); i++) {
      Measure m = measures.get(i);
      double reference = i < 2 ? dumpTime : restoreTime;
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %s | %,d | %.2fx |%n",
          m.what(),
          m.seconds(),
          m.bytes() == 0 ? "" : String.format(Locale.ROOT, "%,d", m.bytes()),
          m.rows(),
          m.seconds() / reference);
    }
    System.out.println(
        "Target: backup and restore within 1.5x of pg_dump's and pg_restore's time.");
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
