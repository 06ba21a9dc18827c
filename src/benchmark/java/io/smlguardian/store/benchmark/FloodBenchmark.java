package io.smlguardian.store.benchmark;

import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The unauthenticated flood on each backend's server ({@code mvn -Pbenchmark-flood verify}; not a
 * test): by default the postgresql and the sqlite server the build starts, or the servers {@code
 * benchmark.backends} names ({@code name=baseUrl,...}). On each, one after the other, it inserts
 * {@code benchmark.records} interactions through the API (bulks of 100 records of 100 different
 * users, with a {@code service} token) and keeps their ids, warms the server up with {@code
 * benchmark.serverWarmup} finds by id and the refused request, then runs the {@link FloodCase}:
 * find by id at 16 clients over random ones of those ids, alone and during {@code
 * benchmark.floodRequests} requests without a token over 64 connections. The records go in through
 * the API, not by SQL, so that the case runs alike on a server that owns its database (SQLite's
 * file). Prints one table, a row per backend, and asserts nothing.
 */
public final class FloodBenchmark {

  private static final String PATH = "/api/collections/" + RandomInteractions.COLLECTION;
  private static final int BULK = 100;

  /** The clients that insert the records and warm the server up. */
  private static final int LOADING_CLIENTS = 4;

  private final int records;
  private final int calls;
  private final int warmup;
  private final int serverWarmup;
  private final int floodRequests;
  private final RandomInteractions interactions;
  private final String token = TestTokens.token("flood-benchmark", "service");

  private FloodBenchmark() {
    records = Integer.getInteger("benchmark.records", 20000);
    calls = Integer.getInteger("benchmark.calls", 2000);
    warmup = Integer.getInteger("benchmark.warmup", 500);
    serverWarmup = Integer.getInteger("benchmark.serverWarmup", 15000);
    floodRequests = Integer.getInteger("benchmark.floodRequests", 20000);
    interactions =
        new RandomInteractions("flood-bench", Integer.getInteger("benchmark.users", 1000));
  }

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled(
        "benchmark-flood.md",
        () -> new FloodBenchmark().run(BackendBenchmark.backends("postgresql", "sqlite")));
  }

  /** One backend's case, with the machine's load averages when it ended. */
  private record Row(String backend, FloodCase.Runs runs, String load) {}

  private String run(Map<String, String> backends) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, String> backend : backends.entrySet()) {
      rows.add(measure(backend.getKey(), new ServiceCalls(backend.getValue(), token)));
    }
    return table(rows);
  }

  private Row measure(String backend, ServiceCalls api) throws Exception {
    api.awaitReady();
    log(backend + ": ready at " + api.baseUrl());
    List<String> ids = load(backend, api);
    LoadRunner.Clients findById =
        c ->
            i ->
                api.get(PATH + "/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())), 200);
    // A freshly started server compiles its hot paths during the first thousands of requests, on
    // the cores the measured calls need: the finds run unmeasured first (the case warms the refused
    // request up itself).
    log(
        backend
            + ": "
            + LoadRunner.run(
                    "find by id (server warm-up)", LOADING_CLIENTS, 0, serverWarmup, findById)
                .describe());
    FloodCase flood =
        new FloodCase(
            api,
            PATH,
            "find by id",
            findById,
            calls,
            warmup,
            floodRequests,
            message -> log(backend + ": " + message));
    FloodCase.Runs runs = flood.run(serverWarmup);
    return new Row(backend, runs, MachineLoad.averages());
  }

  /** Inserts the records in bulks of 100 records of 100 users; their ids, as the API gave them. */
  private List<String> load(String backend, ServiceCalls api) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>(records));
    LoadRunner.Figures loading =
        LoadRunner.run(
            "bulk of 100, 100 users (loading)",
            LOADING_CLIENTS,
            0,
            (records + BULK - 1) / BULK,
            c ->
                i -> {
                  ServiceCalls.Answer answer =
                      api.post(
                          PATH, RandomInteractions.jsonArray(interactions.randomUsers(BULK)), 201);
                  try (JsonReader reader = Json.createReader(new StringReader(answer.body()))) {
                    for (JsonObject item :
                        reader.readObject().getJsonArray("items").getValuesAs(JsonObject.class)) {
                      ids.add(item.getString("id"));
                    }
                  }
                });
    log(backend + ": " + loading.describe());
    log(backend + ": " + ids.size() + " interactions inserted");
    return List.copyOf(ids);
  }

  private String table(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Flood benchmark, %s, %d cores, load average %s; per backend: %,d interactions"
                + " inserted through the API, find by id at %d clients over random ones of them,"
                + " %,d measured calls after %,d warm-up calls, alone and during a flood of %,d"
                + " unauthenticated requests (random ids, no token, answered 401) over %d"
                + " connections of their own; the project's target: p99 during the flood within"
                + " 2x of p99 alone; latencies in ms%n%n",
            ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
            Runtime.getRuntime().availableProcessors(),
            MachineLoad.averages(),
            records,
            FloodCase.CLIENTS,
            calls,
            warmup,
            floodRequests,
            FloodCase.CONNECTIONS));
    out.append(
        "| backend | alone: calls/s | alone: p50 | alone: p99 | during the flood: calls/s |"
            + " during: p50 | during: p99 | flood requests/s | p99 during / alone |"
            + " p50 during / alone | flood's coverage of the run | load average at the end |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row row : rows) {
      FloodCase.Runs runs = row.runs();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %s | %s | %,.0f | %s | %s | %,.0f | %.2fx | %.2fx | %s | %s |%n",
              row.backend(),
              runs.alone().callsPerSecond(),
              FloodCase.millis(runs.alone().p50Millis()),
              FloodCase.millis(runs.alone().p99Millis()),
              runs.during().callsPerSecond(),
              FloodCase.millis(runs.during().p50Millis()),
              FloodCase.millis(runs.during().p99Millis()),
              runs.flood().callsPerSecond(),
              runs.p99Ratio(),
              runs.p50Ratio(),
              FloodCase.percent(runs.coverage()),
              row.load()));
    }
    return out.toString();
  }

  private static void log(String message) {
    System.out.println("[flood-benchmark] " + message);
  }
}
