package io.smlguardian.store.benchmark;

import io.smlguardian.store.benchmark.LoadRunner.Figures;
import io.smlguardian.store.testsupport.TestTokens;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The same workload against each backend's server ({@code mvn -Pbenchmark-backends verify}; not a
 * test): per backend, single inserts and 100-record batch inserts (inserts/s), and the latency of
 * find by id and of a filtered sorted page of 20, on the same data, at each number of clients in
 * {@code benchmark.clients}. The servers are named by {@code benchmark.backends}: {@code
 * name=baseUrl,...}, so any backend's server can be added to the list.
 *
 * <p>Every backend gets the same records: the single inserts write them (the same generated records
 * in every backend, {@code benchmark.calls} per number of clients, spread over 20 users and four
 * types), the reads then run on them, and the batch inserts (100 records of one user each) come
 * last, so that a backend that refuses them (MongoDB without transactions answers 501) reads the
 * same data as the others.
 */
public final class BackendBenchmark {

  private static final String PATH = "/api/collections/interactions";
  private static final List<String> TYPES = List.of("chat", "voice", "task", "reflection");
  private static final int USERS = 20;
  private static final int BATCH = 100;
  private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

  private final int calls;
  private final int warmup;
  private final List<Integer> clientCounts;
  private final String token = TestTokens.token("backend-benchmark", "service");
  private final String userPrefix = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-u";

  private BackendBenchmark() {
    calls = Integer.getInteger("benchmark.calls", 2000);
    warmup = Integer.getInteger("benchmark.warmup", 500);
    clientCounts = LoadRunner.clientCounts("1,16");
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled(
        "benchmark-backends.md",
        () -> new BackendBenchmark().run(backends("postgresql", "sqlite", "memory", "mongodb")));
  }

  /**
   * {@code benchmark.backends}: {@code name=baseUrl} pairs, comma-separated, in table order; by
   * default the servers of the named backends that the build starts (their URLs as the tests get
   * them).
   */
  static Map<String, String> backends(String... byDefaultNames) {
    Map<String, String> backends = new LinkedHashMap<>();
    String byDefault =
        Stream.of(byDefaultNames)
            .filter(name -> System.getProperty(serverUrlProperty(name)) != null)
            .map(name -> name + "=" + System.getProperty(serverUrlProperty(name)))
            .collect(Collectors.joining(","));
    for (String pair : System.getProperty("benchmark.backends", byDefault).split(",")) {
      if (!pair.isBlank()) {
        String[] nameAndUrl = pair.trim().split("=", 2);
        backends.put(nameAndUrl[0], nameAndUrl[1]);
      }
    }
    if (backends.isEmpty()) {
      throw new IllegalArgumentException(
          "benchmark.backends names no server: name=baseUrl,... expected");
    }
    return backends;
  }

  /** The property naming a backend's server, as the pom and the tests name them. */
  private static String serverUrlProperty(String backend) {
    return backend.equals("postgresql") ? "guardian.baseUrl" : "guardian." + backend + ".baseUrl";
  }

  private String run(Map<String, String> backends) throws Exception {
    List<String> rows = new ArrayList<>();
    for (Map.Entry<String, String> backend : backends.entrySet()) {
      ServiceCalls api = new ServiceCalls(backend.getValue(), token);
      api.awaitReady();
      log(backend.getKey() + " at " + backend.getValue() + " is ready");
      rows.addAll(measure(backend.getKey(), api));
    }
    return table(rows);
  }

  /** One run: its figures, formatted. */
  private interface Run {
    Figures run() throws Exception;
  }

  /**
   * Runs one measurement and formats its figures, or says why it failed: a backend that answers a
   * call with an error gets that in its cell (e.g. MongoDB's 501 for a batch), and the others are
   * still measured.
   */
  private static String cell(String backend, Run run, Function<Figures, String> format)
      throws Exception {
    try {
      return format.apply(logged(backend, run.run()));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ServiceCalls.UnexpectedAnswerException answer) {
        log(backend + ": " + e.getMessage());
        return (answer.status() == 501 ? "refused" : "failed") + " (" + answer.status() + ")";
      }
      throw e;
    }
  }

  private static String rate(Figures f, int recordsPerCall) {
    return String.format(Locale.ROOT, "%,.0f", f.callsPerSecond() * recordsPerCall);
  }

  private static String latencies(Figures f) {
    return String.format(Locale.ROOT, "%.2f / %.2f", f.p50Millis(), f.p99Millis());
  }

  /** One backend: inserts first (they make the data), then reads, then batches. */
  private List<String> measure(String backend, ServiceCalls api) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, String> inserts = new LinkedHashMap<>();
    for (int clients : clientCounts) {
      inserts.put(
          clients,
          cell(
              backend,
              () ->
                  LoadRunner.run(
                      "single insert",
                      clients,
                      warmup,
                      calls,
                      c -> {
                        Random generator = new Random(clients * 1000L + c);
                        return i ->
                            ids.add(
                                ServiceCalls.createdId(
                                    api.post(PATH, interaction(generator, i), 201)));
                      }),
              f -> rate(f, 1)));
    }
    List<String> allIds = List.copyOf(ids);
    Map<Integer, String> finds = new LinkedHashMap<>();
    for (int clients : clientCounts) {
      finds.put(
          clients,
          cell(
              backend,
              () ->
                  LoadRunner.run(
                      "find by id",
                      clients,
                      warmup,
                      calls,
                      c ->
                          i ->
                              api.get(
                                  PATH
                                      + "/"
                                      + allIds.get(
                                          ThreadLocalRandom.current().nextInt(allIds.size())),
                                  200)),
              BackendBenchmark::latencies));
    }
    Map<Integer, String> pages = new LinkedHashMap<>();
    for (int clients : clientCounts) {
      pages.put(
          clients,
          cell(
              backend,
              () ->
                  LoadRunner.run(
                      "page of 20",
                      clients,
                      warmup,
                      calls,
                      c ->
                          i -> {
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            api.get(
                                PATH
                                    + "?userId=eq."
                                    + userPrefix
                                    + random.nextInt(USERS)
                                    + "&type=eq."
                                    + TYPES.get(random.nextInt(TYPES.size()))
                                    + "&order=timestamp.desc&limit=20",
                                200);
                          }),
              BackendBenchmark::latencies));
    }
    Map<Integer, String> batches = new LinkedHashMap<>();
    for (int clients : clientCounts) {
      batches.put(
          clients,
          cell(
              backend,
              () ->
                  LoadRunner.run(
                      "batch insert of 100",
                      clients,
                      Math.max(warmup / 10, clients),
                      Math.max(calls / 10, clients),
                      c -> {
                        Random generator = new Random(-(clients * 1000L + c));
                        return i -> {
                          int user = generator.nextInt(USERS);
                          StringBuilder body = new StringBuilder("[");
                          for (int r = 0; r < BATCH; r++) {
                            body.append(r == 0 ? "" : ",").append(interaction(generator, i, user));
                          }
                          api.post(PATH, body.append(']').toString(), 201);
                        };
                      }),
              f -> rate(f, BATCH)));
    }
    List<String> rows = new ArrayList<>();
    for (int clients : clientCounts) {
      rows.add(
          String.join(
              " | ",
              "| " + backend,
              Integer.toString(clients),
              inserts.get(clients),
              batches.get(clients),
              finds.get(clients),
              pages.get(clients) + " |"));
    }
    return rows;
  }

  /** A generated interaction: the same sequence of records for a given generator seed. */
  private String interaction(Random generator, int call) {
    return interaction(generator, call, generator.nextInt(USERS));
  }

  private String interaction(Random generator, int call, int user) {
    return "{\"userId\":\""
        + userPrefix
        + user
        + "\",\"sessionId\":\"s"
        + generator.nextInt(10)
        + "\",\"type\":\""
        + TYPES.get(generator.nextInt(TYPES.size()))
        + "\",\"responseTime\":"
        + generator.nextInt(500)
        + ",\"agentMode\":\"mirror\",\"timestamp\":\""
        + EPOCH.plusSeconds(generator.nextInt(30 * 24 * 3600)).plusMillis(call % 1000)
        + "\"}";
  }

  private String table(List<String> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Backend benchmark, %s, %d cores; per backend and number of clients: %,d single"
                + " inserts, %,d finds by id, %,d pages, %,d batches of 100, each run after %,d"
                + " warm-up calls (batches: %,d); latencies in ms%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            calls,
            calls,
            calls,
            Math.max(calls / 10, 1),
            warmup,
            Math.max(warmup / 10, 1)));
    out.append(
        "| backend | clients | single inserts/s | batch of 100: records/s |"
            + " find by id p50 / p99 | page of 20 p50 / p99 |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    return out.toString();
  }

  private static Figures logged(String backend, Figures f) {
    log(
        String.format(
            Locale.ROOT,
            "%s: %s, %d clients: %,d calls in %.2f s, %,.0f/s, p50 %.2f ms, p99 %.2f ms",
            backend,
            f.operation(),
            f.clients(),
            f.calls(),
            f.seconds(),
            f.callsPerSecond(),
            f.p50Millis(),
            f.p99Millis()));
    return f;
  }

  private static void log(String message) {
    System.out.println("[backend-benchmark] " + message);
  }
}
