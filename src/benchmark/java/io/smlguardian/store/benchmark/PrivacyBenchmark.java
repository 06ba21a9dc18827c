package io.smlguardian.store.benchmark;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.TestTokens;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Export and erasure of one user with 100,000 records, through the running service, beside the same
 * work done by raw PostgreSQL in the same run: COPY of the user's rows (export) and plain DELETEs
 * (erasure). Export and COPY run in turns, three times each by default ({@code
 * -Dbenchmark.repeats=}), after two unmeasured exports ({@code -Dbenchmark.warmups=}), and the
 * medians are compared. Then one more export samples the server's used heap (MicroProfile Metrics)
 * for its peak growth. Run with {@code mvn -Pbenchmark-privacy verify} (see README).
 */
public final class PrivacyBenchmark {

  private static final String BASE = System.getProperty("guardian.baseUrl");
  private static final String SERVER = BASE.substring(0, BASE.lastIndexOf('/'));
  private static final List<String> TABLES =
      List.of("interactions", "emotional_states", "sessions", "memories");
  private static final Pattern USED_HEAP =
      Pattern.compile("(?m)^memory_usedHeap_bytes(?:\\{[^}]*\\})? ([0-9.Ee+]+)");

  private PrivacyBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.guarded(PrivacyBenchmark::run);
  }

  private static void run() throws Exception {
    int records = Integer.getInteger("benchmark.records", 100_000);
    String user = "bench-" + System.nanoTime();
    String token = TestTokens.token("bench-officer", "privacy-officer");
    HttpClient http = HttpClient.newHttpClient();
    Api.awaitReady();

    load(user, records);
    // Unmeasured exports first, as a server that has run for a while has compiled the export's
    // loops: a first export of 1,000 records left them interpreted, and the first measured run
    // took half as long again as the next (2026-12-05: 1.73 s, then 1.17 s and 0.96 s).
    for (int warmUp = 0; warmUp < Integer.getInteger("benchmark.warmups", 2); warmUp++) {
      download(http, token, user, new AtomicLong());
    }

    // COPY and the export in turns, each the median of its runs: the same load for both.
    int repeats = Integer.getInteger("benchmark.repeats", 3);
    double[] rawRuns = new double[repeats];
    double[] exportRuns = new double[repeats];
    long rawBytes = 0;
    for (int run = 0; run < repeats; run++) {
      long rawExportStart = System.nanoTime();
      rawBytes = rawCopy(user);
      rawRuns[run] = (System.nanoTime() - rawExportStart) / 1e9;
      long exportStart = System.nanoTime();
      download(http, token, user, new AtomicLong());
      exportRuns[run] = (System.nanoTime() - exportStart) / 1e9;
    }
    double rawExportSeconds = median(rawRuns);

    long heapBefore = usedHeap();
    AtomicLong peak = new AtomicLong(heapBefore);
    AtomicBoolean exporting = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (exporting.get()) {
                try {
                  peak.accumulateAndGet(usedHeap(), Math::max);
                  Thread.sleep(50);
                } catch (Exception e) {
                  return;
                }
              }
            });
    sampler.start();
    AtomicLong exportBytes = new AtomicLong();
    long exportStart = System.nanoTime();
    download(http, token, user, exportBytes);
    double sampledSeconds = (System.nanoTime() - exportStart) / 1e9;
    exporting.set(false);
    sampler.join();
    double exportSeconds = median(exportRuns);

    long eraseStart = System.nanoTime();
    HttpResponse<String> erased =
        http.send(
            HttpRequest.newBuilder(URI.create(BASE + "/api/privacy/users/" + user))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double eraseSeconds = (System.nanoTime() - eraseStart) / 1e9;
    if (erased.statusCode() != 200 || !erased.body().contains("\"total\":" + records)) {
      throw new IllegalStateException(
          "erasure failed: " + erased.statusCode() + " " + erased.body());
    }

    load(user + "-raw", records);
    long rawEraseStart = System.nanoTime();
    try (Connection c = Database.connect();
        var delete = c.prepareStatement("DELETE FROM interactions WHERE user_id = ?")) {
      c.setAutoCommit(false);
      for (String table : TABLES) {
        try (var d = c.prepareStatement("DELETE FROM " + table + " WHERE user_id = ?")) {
          d.setString(1, user + "-raw");
          d.executeUpdate();
        }
      }
      c.commit();
    }
    double rawEraseSeconds = (System.nanoTime() - rawEraseStart) / 1e9;

    System.out.printf(
        "%nPrivacy benchmark, %s, %d cores, load average %s, one user with %,d records;"
            + " export and COPY: median of %d runs each (export %s s, COPY %s s)%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        MachineLoad.averages(),
        records,
        repeats,
        Arrays.toString(exportRuns),
        Arrays.toString(rawRuns));
    System.out.println("| operation | service | raw PostgreSQL | ratio |");
    System.out.println("|---|---|---|---|");
    System.out.printf(
        "| export (ZIP of JSON lines; raw: COPY of the rows) | %.2f s, %,d bytes | %.2f s, %,d bytes | %.1fx |%n",
        exportSeconds,
        exportBytes.get(),
        rawExportSeconds,
        rawBytes,
        exportSeconds / rawExportSeconds);
    System.out.printf(
        "| erasure (raw: one DELETE per table) | %.2f s | %.2f s | %.1fx |%n",
        eraseSeconds, rawEraseSeconds, eraseSeconds / rawEraseSeconds);
    System.out.printf(
        "| export: peak server heap growth (sampled run: %.2f s) | %,d MB | | |%n",
        sampledSeconds, (peak.get() - heapBefore) / (1024 * 1024));
  }

  private static double median(double[] runs) {
    double[] sorted = runs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The user's records, written straight into PostgreSQL (the load is not what is measured). */
  private static void load(String user, int records) throws Exception {
    int interactions = records * 6 / 10;
    int emotions = records * 2 / 10;
    int sessions = records / 10;
    int memories = records - interactions - emotions - sessions;
    try (Connection c = Database.connect();
        var s = c.createStatement()) {
      s.execute(
          "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
              + " response_time, agent_mode, timestamp) SELECT gen_random_uuid(), now(), 1, '"
              + user
              + "', 's' || (g % 100), 'chat', g % 500, 'mirror', now() - g * interval '1 second'"
              + " FROM generate_series(1, "
              + interactions
              + ") g");
      s.execute(
          "INSERT INTO emotional_states (id, created_at, version, user_id, emotion, intensity,"
              + " stability, timestamp) SELECT gen_random_uuid(), now(), 1, '"
              + user
              + "', 'calm', 0.5, 0.5, now() - g * interval '1 second' FROM generate_series(1, "
              + emotions
              + ") g");
      s.execute(
          "INSERT INTO sessions (id, created_at, version, user_id, session_id, start_time,"
              + " metadata) SELECT gen_random_uuid(), now(), 1, '"
              + user
              + "', 's' || g, now() - g * interval '1 minute', '{\"device\":\"phone\"}'"
              + " FROM generate_series(1, "
              + sessions
              + ") g");
      s.execute(
          "INSERT INTO memories (id, created_at, version, user_id, type, strength, timestamp)"
              + " SELECT gen_random_uuid(), now(), 1, '"
              + user
              + "', 'pattern', 0.5, now() - g * interval '1 second' FROM generate_series(1, "
              + memories
              + ") g");
    }
  }

  private static long rawCopy(String user) throws Exception {
    long bytes = 0;
    try (Connection c = Database.connect()) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      for (String table : TABLES) {
        var out = new java.io.ByteArrayOutputStream();
        copy.copyOut(
            "COPY (SELECT * FROM " + table + " WHERE user_id = '" + user + "') TO STDOUT", out);
        bytes += out.size();
      }
    }
    return bytes;
  }

  private static void download(HttpClient http, String token, String user, AtomicLong bytes)
      throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(BASE + "/api/privacy/users/" + user + "/export?format=zip"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("export failed: " + response.statusCode());
    }
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.addAndGet(n);
      }
    }
  }

  private static long usedHeap() {
    String metrics = Api.metrics(SERVER, "?scope=base");
    Matcher m = USED_HEAP.matcher(metrics);
    if (!m.find()) {
      throw new IllegalStateException("no used heap in /metrics");
    }
    return (long) Double.parseDouble(m.group(1));
  }
}
