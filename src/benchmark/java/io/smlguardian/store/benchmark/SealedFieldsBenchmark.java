package io.smlguardian.store.benchmark;

import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * What sealing a memory's free-form fields ({@code patterns}, {@code metadata}: AES-256-GCM under
 * the owner's data key) costs an insert through the API: each case is measured with those fields
 * and, right after, with the same records without them, whose insert seals nothing (the baseline of
 * the same run). Cases: a single memory, a batch of 100 memories of one user, a bulk of 100
 * memories of 100 users who have a data key already, and one of 100 users writing for the first
 * time (each gets a data key). Run with {@code mvn clean -Pbenchmark-sealed verify} (see
 * docs/benchmarks.md); {@code benchmark.clients} (1,16), {@code benchmark.calls} (2,000 single
 * inserts; a tenth for the requests of 100) and {@code benchmark.warmup} (500) as in the API
 * benchmark. Writes {@code target/benchmark-sealed.md}.
 */
public final class SealedFieldsBenchmark {

  private static final String PATH = "/api/collections/memories";
  private static final int BATCH = 100;
  private static final int USERS = 1000;
  private static final String TIME = "2026-11-20T10:15:30.123456Z";

  private final ServiceCalls api = ServiceCalls.ofServerUnderTest("bench-service", "service");
  private final String run = Long.toString(System.nanoTime(), 36);
  private final AtomicLong firstTimers = new AtomicLong();

  private SealedFieldsBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.guarded(() -> new SealedFieldsBenchmark().measure());
  }

  /** A request body: one memory, or an array of them. */
  private enum Shape {
    SINGLE("single memory", false),
    BATCH("batch of 100, one user", true),
    BULK("bulk of 100, 100 users", true),
    BULK_FIRST("bulk of 100, 100 users writing for the first time", true);

    final String label;
    final boolean hundredRecords;

    Shape(String label, boolean hundredRecords) {
      this.label = label;
      this.hundredRecords = hundredRecords;
    }
  }

  private record Row(
      Shape shape, int clients, LoadRunner.Figures sealed, LoadRunner.Figures clear) {}

  private void measure() throws Exception {
    api.awaitReady();
    // Every known user writes once first, so that each has a data key before the measured runs.
    for (int from = 0; from < USERS; from += BATCH) {
      int first = from;
      api.post(PATH, array(BATCH, k -> memory(knownUser(first + k), true)), 201);
    }
    int calls = Integer.getInteger("benchmark.calls", 2000);
    int warmup = Integer.getInteger("benchmark.warmup", 500);
    // The server compiles the paths first: each case unmeasured, both ways, at the most clients
    // measured, until its CPU per call stops falling (a fixed 2,000 calls at 4 clients left the
    // JIT compiler the busiest thread of the measured sealed run, which runs first).
    int mostClients = LoadRunner.clientCounts("1,16").stream().max(Integer::compare).orElseThrow();
    for (Shape shape : measured()) {
      for (boolean sealed : new boolean[] {true, false}) {
        LoadRunner.warmUntilSteady(
            shape.label + (sealed ? ", sealed" : ", nothing to seal") + " (warm-up)",
            mostClients,
            shape.hundredRecords ? calls / 10 : calls,
            clients(shape, sealed),
            api::serverCpuNanos,
            () -> {});
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int clients : LoadRunner.clientCounts("1,16")) {
      for (Shape shape : measured()) {
        int n = shape.hundredRecords ? calls / 10 : calls;
        int w = shape.hundredRecords ? warmup / 10 : warmup;
        api.awaitQuiet(java.time.Duration.ofMinutes(1));
        LoadRunner.Figures sealed =
            LoadRunner.run(
                shape.label + ", sealed", clients, w, n, clients(shape, true), api::serverCpuNanos);
        System.out.println("[sealed-benchmark] " + sealed.describe());
        api.awaitQuiet(java.time.Duration.ofMinutes(1));
        LoadRunner.Figures clear =
            LoadRunner.run(
                shape.label + ", nothing to seal",
                clients,
                w,
                n,
                clients(shape, false),
                api::serverCpuNanos);
        System.out.println("[sealed-benchmark] " + clear.describe());
        rows.add(new Row(shape, clients, sealed, clear));
      }
    }
    String table = table(rows);
    System.out.println(table);
    Files.writeString(BenchmarkOutcome.output("benchmark-sealed.md"), table);
  }

  /** The cases named by {@code benchmark.cases} (as in {@link Shape}), or all of them. */
  private static List<Shape> measured() {
    String named = System.getProperty("benchmark.cases", "");
    return named.isBlank()
        ? List.of(Shape.values())
        : Arrays.stream(named.split(",")).map(String::trim).map(Shape::valueOf).toList();
  }

  private LoadRunner.Clients clients(Shape shape, boolean sealed) {
    return client ->
        call ->
            api.post(
                PATH,
                switch (shape) {
                  case SINGLE -> memory(randomKnownUser(), sealed).toString();
                  case BATCH -> {
                    String user = randomKnownUser();
                    yield array(BATCH, k -> memory(user, sealed));
                  }
                  case BULK -> {
                    int first = (int) (Math.random() * USERS);
                    yield array(BATCH, k -> memory(knownUser((first + k) % USERS), sealed));
                  }
                  case BULK_FIRST -> {
                    long from = firstTimers.getAndAdd(BATCH);
                    yield array(BATCH, k -> memory("first-" + run + "-" + (from + k), sealed));
                  }
                },
                201);
  }

  private String knownUser(int n) {
    return "sealed-" + run + "-" + n;
  }

  private String randomKnownUser() {
    return knownUser((int) (Math.random() * USERS));
  }

  /** A memory as the API takes it; with its two sealed fields, or without them. */
  private static StringBuilder memory(String user, boolean sealed) {
    StringBuilder json =
        new StringBuilder("{\"userId\":\"")
            .append(user)
            .append("\",\"type\":\"success_pattern\",\"strength\":0.8,\"timestamp\":\"")
            .append(TIME)
            .append('"');
    if (sealed) {
      json.append(",\"patterns\":[\"calm after a walk\",\"tea before bed\"]")
          .append(",\"metadata\":{\"source\":\"dream\",\"confidence\":0.7}");
    }
    return json.append('}');
  }

  private static String array(int n, IntFunction<StringBuilder> record) {
    StringBuilder json = new StringBuilder("[");
    for (int k = 0; k < n; k++) {
      json.append(k == 0 ? "" : ",").append(record.apply(k));
    }
    return json.append(']').toString();
  }

  private static String table(List<Row> rows) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Sealed fields benchmark, %s, %d cores; memories inserted through the API with"
                    + " `patterns` and `metadata` (sealed) and, right after, the same records"
                    + " without them (nothing to seal); latencies in ms%n%n",
                LocalDate.now(ZoneOffset.UTC),
                Runtime.getRuntime().availableProcessors()));
    out.append(
        "| request | clients | sealed calls/s | sealed p50 | sealed p99 | sealed server CPU ms/call"
            + " | nothing to seal calls/s | its p50 | its p99 | its server CPU ms/call"
            + " | sealing's server CPU per record, ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      int records = row.shape.hundredRecords ? BATCH : 1;
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,.0f | %.2f | %.2f | %.2f | %,.0f | %.2f | %.2f | %.2f | %.3f |%n",
              row.shape.label,
              row.clients,
              row.sealed.callsPerSecond(),
              row.sealed.p50Millis(),
              row.sealed.p99Millis(),
              row.sealed.cpuMillisPerCall(),
              row.clear.callsPerSecond(),
              row.clear.p50Millis(),
              row.clear.p99Millis(),
              row.clear.cpuMillisPerCall(),
              (row.sealed.cpuMillisPerCall() - row.clear.cpuMillisPerCall()) / records));
    }
    return out.toString();
  }
}
