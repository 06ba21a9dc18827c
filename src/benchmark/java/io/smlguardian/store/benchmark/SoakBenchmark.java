package io.smlguardian.store.benchmark;

import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A soak ({@code mvn -Pbenchmark-soak verify}; not a test): {@code soak.minutes} (10) of mixed
 * traffic against each server the profile started (PostgreSQL and SQLite), while operators work:
 *
 * <ul>
 *   <li>{@code soak.clients} (8) clients, each in a loop: single inserts, reads by id, pages,
 *       counts, bulk inserts of 20 records of 20 users, atomic requests of two inserts, and
 *       requests without a token (401);
 *   <li>{@code /api/status} polled every 0.5 s;
 *   <li>a retention purge of {@code soak.expired} (1,000,000) expired interactions, loaded into the
 *       database beforehand, started after the first minute;
 *   <li>a backup, started half-way.
 * </ul>
 *
 * It prints, per backend: responses of 5xx, requests over 10 s, acknowledged records missing at the
 * end (every 201 is counted per user, and each user's count is read back), how the purge and the
 * backup ended, and per minute the throughput and p99. A soak with a 5xx, a request over 10 s, a
 * missing record or a job that did not complete fails the build (in verify, after the servers are
 * stopped), with the table printed all the same.
 */
public final class SoakBenchmark {

  private static final long SLOW_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int BULK = 20;

  /** What one backend's soak saw. */
  private static final class Soak {
    final String backend;
    final Instant start = Instant.now();
    final List<Minute> minutes = new ArrayList<>();
    final LongAdder serverErrors = new LongAdder();
    final LongAdder slow = new LongAdder();
    final LongAdder transportErrors = new LongAdder();
    final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
    String purge = "not started";
    String backup = "not started";
    long missing = -1;

    Soak(String backend) {
      this.backend = backend;
    }

    Minute minute() {
      int index = (int) Duration.between(start, Instant.now()).toMinutes();
      synchronized (minutes) {
        while (minutes.size() <= index) {
          minutes.add(new Minute());
        }
        return minutes.get(index);
      }
    }

    void record(long nanos, int status, String request, String body) {
      minute().record(nanos);
      if (nanos > SLOW_NANOS) {
        slow.increment();
        failure(request + " took " + nanos / 1_000_000 + " ms");
      }
      if (status >= 500) {
        serverErrors.increment();
        failure(request + " answered " + status + ": " + body);
      }
    }

    void failure(String what) {
      if (firstFailures.size() < 10) {
        firstFailures.add(what);
      }
    }

    boolean passed() {
      return serverErrors.sum() == 0
          && slow.sum() == 0
          && transportErrors.sum() == 0
          && missing == 0
          && purge.startsWith("COMPLETED")
          && backup.startsWith("COMPLETED");
    }
  }

  private static final class Minute {
    final Histogram latency = new ConcurrentHistogram(60_000_000_000L, 2);

    void record(long nanos) {
      latency.recordValue(Math.min(nanos, latency.getHighestTrackableValue()));
    }
  }

  private SoakBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkOutcome.tabled("benchmark-soak.md", SoakBenchmark::run);
  }

  /** The soak of every target, one after the other: their table. */
  private static String run() throws Exception {
    // exec:java runs this in its own class loader, which DriverManager's service lookup misses.
    Class.forName("org.postgresql.Driver");
    Class.forName("org.sqlite.JDBC");
    int minutes = Integer.getInteger("soak.minutes", 10);
    int clients = Integer.getInteger("soak.clients", 8);
    int expired = Integer.getInteger("soak.expired", 1_000_000);
    String service = TestTokens.token("soak", "service");
    String operator = TestTokens.token("soak-operator", "operator");
    List<Soak> soaks = new ArrayList<>();
    // By default the postgresql and the sqlite server the build starts, as the tests know them.
    String targets =
        System.getProperty(
            "soak.targets",
            "postgresql="
                + System.getProperty("guardian.baseUrl")
                + ",sqlite="
                + System.getProperty("guardian.sqlite.baseUrl"));
    for (String target : targets.split(",")) {
      String backend = target.substring(0, target.indexOf('='));
      String baseUrl = target.substring(target.indexOf('=') + 1);
      log(backend + ": loading " + expired + " expired interactions");
      loadExpired(backend, expired);
      soaks.add(soak(backend, baseUrl, service, operator, clients, minutes));
    }
    if (!soaks.stream().allMatch(soak -> soak.passed())) {
      BenchmarkOutcome.failed(
          "the soak saw failures: see " + BenchmarkOutcome.output("benchmark-soak.md"));
    }
    return table(soaks, minutes, clients, expired);
  }

  private static Soak soak(
      String backend, String baseUrl, String service, String operator, int clients, int minutes)
      throws Exception {
    ServiceCalls api = new ServiceCalls(baseUrl, service);
    ServiceCalls operators = new ServiceCalls(baseUrl, operator);
    ServiceCalls anonymous = new ServiceCalls(baseUrl, null);
    api.awaitReady();
    Soak soak = new Soak(backend);
    String run = "soak-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    long deadline = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(new Thread(() -> traffic(soak, api, anonymous, run + client + "-", deadline)));
    }
    threads.add(new Thread(() -> pollStatus(soak, operators, deadline)));
    threads.forEach(Thread::start);
    log(backend + ": " + clients + " clients for " + minutes + " minutes");
    Thread.sleep(Math.min(60_000, Duration.ofMinutes(minutes).toMillis() / 4));
    soak.purge = job(soak, operators, "/api/retention/runs", "/api/retention/runs/", deadline);
    log(backend + ": purge " + soak.purge);
    long half = deadline - Duration.ofMinutes(minutes).toNanos() / 2;
    Thread.sleep(Math.max(0, (half - System.nanoTime()) / 1_000_000));
    soak.backup = job(soak, operators, "/api/backups", "/api/backups/jobs/", deadline);
    log(backend + ": backup " + soak.backup);
    for (Thread thread : threads) {
      thread.join();
    }
    soak.missing = missing(soak, api);
    log(backend + ": " + soak.missing + " acknowledged records missing");
    return soak;
  }

  /** One client's loop: the operations in turn, each answer checked and timed. */
  private static void traffic(
      Soak soak, ServiceCalls api, ServiceCalls anonymous, String users, long deadline) {
    List<String> ids = new ArrayList<>();
    for (long call = 0; System.nanoTime() < deadline; call++) {
      String user = users + (call % 10);
      int kind = (int) (call % 10);
      try {
        switch (kind) {
          case 0, 1, 2 -> {
            ServiceCalls.Answer created =
                timed(soak, () -> api.post(path(), interaction(user), 201));
            if (created != null) {
              ids.add(ServiceCalls.createdId(created));
              acknowledge(soak, user, 1);
            }
          }
          case 3, 4 -> {
            if (!ids.isEmpty()) {
              String id = ids.get((int) (call % ids.size()));
              timed(soak, () -> api.get(path() + "/" + id, 200));
            }
          }
          case 5 -> timed(soak, () -> api.get(path() + "?userId=eq." + user + "&limit=20", 200));
          case 6 -> {
            StringBuilder bulk = new StringBuilder("[");
            for (int i = 0; i < BULK; i++) {
              bulk.append(i == 0 ? "" : ",").append(interaction(users + "bulk-" + i));
            }
            if (timed(soak, () -> api.post(path(), bulk.append(']').toString(), 201)) != null) {
              for (int i = 0; i < BULK; i++) {
                acknowledge(soak, users + "bulk-" + i, 1);
              }
            }
          }
          case 7 -> {
            String atomic =
                "{\"operations\":[{\"op\":\"insert\",\"collection\":\"interactions\",\"record\":"
                    + interaction(user)
                    + "},{\"op\":\"insert\",\"collection\":\"interactions\",\"record\":"
                    + interaction(user)
                    + "}]}";
            if (timed(soak, () -> api.post("/api/atomic", atomic, 200)) != null) {
              acknowledge(soak, user, 2);
            }
          }
          case 8 -> timed(soak, () -> anonymous.get(path() + "?limit=1", 401));
          default -> timed(soak, () -> api.get(path() + "/count?userId=eq." + user, 200));
        }
      } catch (RuntimeException e) {
        soak.transportErrors.increment();
        soak.failure(e.toString());
      }
    }
  }

  private static void pollStatus(Soak soak, ServiceCalls operators, long deadline) {
    while (System.nanoTime() < deadline) {
      timed(soak, () -> operators.get("/api/status", 200));
      sleep(500);
    }
  }

  /** Starts a job and waits for it; returns its final status (and why, when it did not end). */
  private static String job(
      Soak soak, ServiceCalls operators, String start, String poll, long deadline) {
    ServiceCalls.Answer started = timed(soak, () -> operators.post(start, "", 202));
    if (started == null) {
      return "not started";
    }
    long id = json(started.body()).getJsonNumber("executionId").longValue();
    long began = System.nanoTime();
    while (System.nanoTime() < deadline + Duration.ofMinutes(30).toNanos()) {
      ServiceCalls.Answer answer = timed(soak, () -> operators.get(poll + id, 200));
      if (answer != null) {
        JsonObject job = json(answer.body());
        String status = job.getString("status");
        if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
          return String.format(
              Locale.ROOT,
              "%s in %.1f s%s",
              status,
              (System.nanoTime() - began) / 1e9,
              job.containsKey("purged")
                  ? String.format(
                      Locale.ROOT, ", %,d purged", job.getJsonNumber("purged").longValue())
                  : "");
        }
      }
      sleep(1000);
    }
    return "did not end";
  }

  /** Acknowledged records missing: each user's count read back against the 201s it got. */
  private static long missing(Soak soak, ServiceCalls api) {
    long missing = 0;
    for (Map.Entry<String, AtomicLong> user : soak.acknowledged.entrySet()) {
      try {
        ServiceCalls.Answer count = api.get(path() + "/count?userId=eq." + user.getKey(), 200);
        long stored = json(count.body()).getJsonNumber("count").longValue();
        missing += Math.max(0, user.getValue().get() - stored);
      } catch (Exception e) {
        soak.failure("counting " + user.getKey() + ": " + e);
        return -1;
      }
    }
    return missing;
  }

  private interface Call {
    ServiceCalls.Answer call() throws Exception;
  }

  /** Makes the call and records it; null when it did not answer as expected (also recorded). */
  private static ServiceCalls.Answer timed(Soak soak, Call call) {
    long began = System.nanoTime();
    try {
      ServiceCalls.Answer answer = call.call();
      soak.record(System.nanoTime() - began, answer.status(), answer.request(), "");
      return answer;
    } catch (ServiceCalls.UnexpectedAnswerException e) {
      soak.record(System.nanoTime() - began, e.status(), "", e.getMessage());
      if (e.status() < 500) {
        soak.failure(e.getMessage());
      }
      return null;
    } catch (Exception e) {
      soak.record(System.nanoTime() - began, 0, "", "");
      soak.transportErrors.increment();
      soak.failure(e.toString());
      return null;
    }
  }

  private static void acknowledge(Soak soak, String user, int records) {
    soak.acknowledged.computeIfAbsent(user, u -> new AtomicLong()).addAndGet(records);
  }

  private static String path() {
    return "/api/collections/interactions";
  }

  private static String interaction(String user) {
    return "{\"userId\":\""
        + user
        + "\",\"sessionId\":\"soak\",\"type\":\"chat\",\"responseTime\":12.5,"
        + "\"agentMode\":\"mirror\",\"timestamp\":\""
        + Instant.now()
        + "\"}";
  }

  /**
   * Loads the expired interactions straight into the database (91 to 191 days old; the policy keeps
   * 90), as years of traffic would have left them: through the API it would take longer than the
   * soak.
   */
  private static void loadExpired(String backend, int rows) throws SQLException {
    String sql =
        switch (backend) {
          case "postgresql" ->
              "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
                  + " response_time, agent_mode, timestamp) SELECT gen_random_uuid(), now(), 1,"
                  + " 'soak-expired-' || (i % 1000), 'soak', 'chat', 1.0, 'mirror',"
                  + " now() - interval '91 days' - (i % 8640000) * interval '1 second'"
                  + " FROM generate_series(1, "
                  + rows
                  + ") AS i";
          // SQLite keeps times as microseconds since the epoch (SQLitePlatform).
          case "sqlite" ->
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                  + rows
                  + ") INSERT INTO interactions (id, created_at, version, user_id, session_id,"
                  + " type, response_time, agent_mode, timestamp)"
                  + " SELECT printf('%08x-0000-4000-8000-%012x', i, i), "
                  + Instant.now().toEpochMilli() * 1000
                  + ", 1, 'soak-expired-' || (i % 1000), 'soak', 'chat', 1.0, 'mirror', "
                  + (Instant.now().minus(Duration.ofDays(91)).toEpochMilli() * 1000)
                  + " - (i % 8640000) * 1000000 FROM n";
          default -> throw new IllegalArgumentException("no loader for " + backend);
        };
    String url =
        backend.equals("sqlite")
            ? "jdbc:sqlite:" + System.getProperty("guardian.sqlite.db")
            : System.getProperty("guardian.db.url");
    try (Connection connection =
            DriverManager.getConnection(
                url,
                System.getProperty("guardian.db.user", ""),
                System.getProperty("guardian.db.password", ""));
        Statement statement = connection.createStatement()) {
      if (backend.equals("sqlite")) {
        statement.execute("PRAGMA busy_timeout = 30000");
      }
      statement.execute(sql);
    }
  }

  private static String table(List<Soak> soaks, int minutes, int clients, int expired) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Soak, %s, %d cores: %d minutes of %d clients (inserts, reads by id, pages, counts,"
                + " bulks of %d users, atomic requests, 401s), /api/status every 0.5 s, a purge"
                + " of %,d expired interactions, a backup%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            minutes,
            clients,
            BULK,
            expired));
    out.append(
        "| backend | 5xx | over 10 s | transport errors | acknowledged missing | purge | backup |\n"
            + "|---|---:|---:|---:|---:|---|---|\n");
    for (Soak soak : soaks) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %s | %s |%n",
              soak.backend,
              soak.serverErrors.sum(),
              soak.slow.sum(),
              soak.transportErrors.sum(),
              soak.missing,
              soak.purge,
              soak.backup));
    }
    for (Soak soak : soaks) {
      out.append("\n")
          .append(soak.backend)
          .append(", per minute:\n\n| minute | requests/s | p50 ms | p99 ms | max ms |\n")
          .append("|---:|---:|---:|---:|---:|\n");
      // Only the soak's own minutes: a job may still be polled for after them.
      for (int m = 0; m < Math.min(soak.minutes.size(), minutes); m++) {
        Histogram latency = soak.minutes.get(m).latency;
        out.append(
            String.format(
                Locale.ROOT,
                "| %d | %.0f | %.1f | %.1f | %.0f |%n",
                m + 1,
                latency.getTotalCount() / 60.0,
                latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6,
                latency.getMaxValue() / 1e6));
      }
      if (!soak.firstFailures.isEmpty()) {
        out.append("\nFirst failures:\n");
        soak.firstFailures.forEach(failure -> out.append("- ").append(failure).append('\n'));
      }
    }
    return out.toString();
  }

  private static JsonObject json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void log(String message) {
    System.out.println("[soak] " + Instant.now() + " " + message);
  }
}
