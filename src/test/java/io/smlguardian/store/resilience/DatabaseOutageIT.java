package io.smlguardian.store.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.ops.PrometheusText;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TcpProxy;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The database's failures on a real server: a second server, copied from the PostgreSQL test
 * server, reaches the build's PostgreSQL through a TCP proxy in this process, with a pool of one
 * connection and a pool wait of 1 s. Cutting the proxy is the database gone (connections closed,
 * new ones refused); a table lock taken here is a long transaction holding the pool's connection.
 */
@Tag("postgresql") // the build's PostgreSQL behind a proxy: once per build is enough
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {

  /** A generous bound, far above what is measured (see docs/operations.md), for a busy machine. */
  private static final Duration FAST = Duration.ofSeconds(2);

  private static TcpProxy proxy;
  private static SecondServer server;
  private static final int BATCH = 50; // INGEST_BATCH_SIZE of the server behind the proxy

  private static Api.Client service;
  private static Path journal;
  private static final Api.Client operator =
      Api.as(TestTokens.token("it-outage-operator", "operator"));
  private static String base;

  @BeforeAll
  static void startServerBehindProxy() throws Exception {
    URI database = URI.create(System.getProperty("guardian.db.url").substring("jdbc:".length()));
    proxy = TcpProxy.to(database.getHost(), database.getPort());
    journal = Files.createTempDirectory("guardian-outage").resolve("journal");
    server =
        SecondServer.start(
            "guardianStore-outage",
            Map.of(
                "DB_POOL_SIZE", "1",
                "DB_POOL_WAIT", "1s",
                // The ingest's own journal; its flusher waits an hour unless a batch of 50 fills,
                // or a flush failed (the backoff): what else could have flushed is then ruled out.
                "JOURNAL_DIR", journal.toString(),
                "PERSISTENCE_AUTO_SAVE_INTERVAL", "3600000",
                "INGEST_BATCH_SIZE", String.valueOf(BATCH)),
            Map.of("DB_PORT", String.valueOf(proxy.port())));
    server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I"); // the server is ready
    service = Api.as(TestTokens.token("it-outage-service", "service"));
    base = server.baseUrl();
    awaitReady(Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @Order(1)
  void aRequestThatFindsNoFreeConnectionIsAnswered503() throws Exception {
    String user = "outage-" + UUID.randomUUID();
    CompletableFuture<Api.Reply> held;
    try (Connection lock = Database.connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE memories IN ACCESS EXCLUSIVE MODE");
      }
      // This insert takes the pool's only connection and waits for the lock.
      held = CompletableFuture.supplyAsync(() -> insert(user));
      awaitWaitingForLock();

      long start = System.nanoTime();
      Api.Reply waiting = service.get(base + "/api/collections/dream_cycles?limit=1");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.println(
          "Pool wait answered " + waiting.status() + " in " + took.toMillis() + " ms");

      assertUnavailable(waiting);
      // The pool wait (1 s) bounds it, retried once within the retries' 2 s: far from a hang.
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      lock.rollback();
    }
    assertThat(held.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    awaitReady(Duration.ofSeconds(30));
    assertThat(insert(user).status()).isEqualTo(201);
  }

  @Test
  @Order(2)
  void anOutageIsAnswered503AtOnceAndTheServiceRecoversByItself() throws Exception {
    String user = "outage-" + UUID.randomUUID();
    Api.Reply before = insert(user);
    assertThat(before.status()).as(before.toString()).isEqualTo(201);
    String id = before.object().getString("id");

    proxy.cut();
    List<Long> millisOpen = new ArrayList<>();
    List<Long> millisBeforeOpen = new ArrayList<>();
    for (int i = 0; i < 60 && millisOpen.size() < 10; i++) {
      Supplier<Api.Reply> request = i % 2 == 0 ? () -> insert(user) : () -> service.get(memory(id));
      long start = System.nanoTime();
      Api.Reply reply = request.get();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertUnavailable(reply);
      if (reply.object().getString("detail").contains("paused")) {
        millisOpen.add(millis);
        assertThat(Duration.ofMillis(millis))
            .as("answered while the circuit is open")
            .isLessThan(FAST);
      } else {
        millisBeforeOpen.add(millis);
      }
    }
    System.out.println(
        "During the outage: before the circuit opened "
            + millisBeforeOpen
            + " ms, once open "
            + millisOpen
            + " ms");
    assertThat(millisOpen).as("requests answered with the circuit open").hasSize(10);

    long start = System.nanoTime();
    Api.Reply ready = Api.anonymous().get(server.serverUrl() + "/health/ready");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
    assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
    assertThat(ready.raw().body()).contains("DOWN");

    proxy.restore();
    awaitReady(Duration.ofSeconds(60));
    Api.Reply read = service.get(memory(id));
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    Api.Reply after = insert(user);
    assertThat(after.status()).as(after.toString()).isEqualTo(201);
  }

  @Test
  @Order(3)
  void aFullBatchIsFlushedWithoutWaitingForTheInterval() throws Exception {
    String user = "outage-batch-" + UUID.randomUUID();
    JsonArrayBuilder records = Json.createArrayBuilder();
    for (int i = 0; i < BATCH; i++) {
      records.add(Samples.record("interactions", user));
    }
    Api.Reply accepted = service.post(base + "/api/ingest/interactions", records.build());
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    // The interval is an hour: only the full batch can have started this flush.
    awaitRows("interactions", List.of(user), BATCH, Duration.ofSeconds(60));
  }

  /**
   * Offline mode: with the database cut off, ingest still answers 202, readiness reports the
   * pending writes, and once the database is back they land by themselves (the interval is an hour:
   * the flushes that failed brought the next one within the backoff), each once, with the ingests'
   * audit entries; the records of a user erased meanwhile (on the other server) never land, and
   * those sent after the erasure do.
   */
  @Test
  @Order(4)
  void ingestWhileTheDatabaseIsDownIsAcceptedAndLandsOnceWhenItReturns() throws Exception {
    String run = "offline-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> users = List.of(run + "-u0", run + "-u1", run + "-u2", run + "-u3");
    String erased = run + "-erased";
    Map<String, Integer> perUser = new java.util.HashMap<>();
    Map<String, Integer> perTable = new java.util.HashMap<>();
    // request/collection/owner: a request's entry per collection names its owners there
    java.util.Set<String> accesses = new java.util.HashSet<>();
    List<String> beforeErasure = new ArrayList<>();
    Map<String, List<String>> acknowledgedInOrder = new java.util.HashMap<>(); // ids per user

    proxy.cut();
    int requests = 4;
    for (int r = 0; r < requests; r++) {
      JsonArrayBuilder items = Json.createArrayBuilder();
      List<String> owners = new ArrayList<>();
      List<String> tables = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String user = i < 2 ? erased : users.get(i % users.size());
        // every user has records of both collections in every request
        String collection = (i < 2 ? i : i / 4) % 2 == 0 ? "interactions" : "memories";
        items.add(item(collection, Samples.record(collection, user)));
        owners.add(user);
        tables.add(collection);
      }
      Api.Reply reply = service.post(base + "/api/ingest", items.build());
      assertThat(reply.status()).as("with the database down: " + reply).isEqualTo(202);
      for (int i = 0; i < owners.size(); i++) {
        if (owners.get(i).equals(erased)) {
          beforeErasure.add(reply.object().getJsonArray("ids").getString(i));
        } else {
          perUser.merge(owners.get(i), 1, Integer::sum);
          acknowledgedInOrder
              .computeIfAbsent(owners.get(i), u -> new ArrayList<>())
              .add(reply.object().getJsonArray("ids").getString(i));
          perTable.merge(tables.get(i), 1, Integer::sum);
          accesses.add(r + "/" + tables.get(i) + "/" + owners.get(i));
        }
      }
    }
    int pending = requests * 20;
    assertThat(readinessCheck("ingest-journal").getString("status")).isEqualTo("UP");
    long pendingWrites = pendingWrites();
    assertThat(pendingWrites).isGreaterThanOrEqualTo(pending);
    assertThat(readinessCheck("database").getString("status")).isEqualTo("DOWN");
    // What must be audited in the database cannot be answered meanwhile: a refused ingest (its
    // refusal cannot be recorded), the sync status; neither journals anything.
    JsonObject invalid =
        Json.createObjectBuilder(Samples.record("interactions", users.get(0)))
            .add("noSuchField", 1)
            .build();
    assertUnavailable(service.post(base + "/api/ingest/interactions", invalid));
    assertUnavailable(operator.get(base + "/api/sync"));
    assertThat(pendingWrites()).isEqualTo(pendingWrites);

    // Erased on the other server, whose database is up; then new records of the same user.
    Api.Client officer = Api.as(TestTokens.token("it-outage-officer", "privacy-officer"));
    Api.Reply erasure = officer.delete("/api/privacy/users/" + Api.q(erased), null);
    assertThat(erasure.status()).as(erasure.toString()).isEqualTo(200);
    Api.Reply afterErasure =
        service.post(base + "/api/ingest/interactions", Samples.record("interactions", erased));
    assertThat(afterErasure.status()).as(afterErasure.toString()).isEqualTo(202);
    String newRecord = afterErasure.object().getJsonArray("ids").getString(0);

    proxy.restore();
    List<String> everyone = new ArrayList<>(users);
    awaitRows("interactions", List.of(erased), 1, Duration.ofMinutes(2));
    awaitRows("memories", everyone, perTable.get("memories"), Duration.ofSeconds(30));
    awaitRows("interactions", everyone, perTable.get("interactions"), Duration.ofSeconds(30));
    for (String user : users) { // each acknowledged record once (their ids are the service's)
      long stored = rows("interactions", List.of(user)) + rows("memories", List.of(user));
      assertThat(stored).as(user).isEqualTo(perUser.get(user).longValue());
      assertThat(
              ((Number)
                      Database.single(
                          "SELECT count(*) FROM access_logs e JOIN access_log_owners o"
                              + " ON o.record_id = e.id WHERE o.user_id = ? AND e.operation ="
                              + " 'ingest' AND e.principal = 'it-outage-service'",
                          user))
                  .longValue())
          .as("ingest audit entries of " + user)
          .isEqualTo(accesses.stream().filter(a -> a.endsWith("/" + user)).count());
    }
    // In order per user: the 81 records land in two flush transactions or more (batches of 50); a
    // record acknowledged after another of its owner's never lands in an earlier transaction than
    // it (PostgreSQL's xmin: the id of the transaction that inserted the row).
    for (String user : users) {
      List<Long> transactions = new ArrayList<>();
      for (String id : acknowledgedInOrder.get(user)) {
        transactions.add(
            ((Number)
                    Database.single(
                        "SELECT xmin::text::bigint FROM interactions WHERE id = ?::uuid"
                            + " UNION ALL SELECT xmin::text::bigint FROM memories WHERE id = ?::uuid",
                        id,
                        id))
                .longValue());
      }
      assertThat(transactions).as("landing transactions of " + user + "'s records").isSorted();
      assertThat(new java.util.HashSet<>(transactions))
          .as(user + " in both batches")
          .hasSizeGreaterThan(1);
    }
    for (String id : beforeErasure) {
      assertThat(
              ((Number)
                      Database.single(
                          "SELECT (SELECT count(*) FROM interactions WHERE id = ?::uuid)"
                              + " + (SELECT count(*) FROM memories WHERE id = ?::uuid)",
                          id,
                          id))
                  .longValue())
          .as("journaled before its owner's erasure: " + id)
          .isZero();
    }
    assertThat(Database.single("SELECT user_id FROM interactions WHERE id = ?::uuid", newRecord))
        .isEqualTo(erased);
    assertThat(
            String.valueOf(
                Database.single(
                    "SELECT patterns::text FROM memories WHERE user_id = ? LIMIT 1", users.get(0))))
        .startsWith("\"gse1:"); // sealed under the user's data key, no longer the journal's

    Api.Reply status = operator.get(base + "/api/sync");
    assertThat(status.status()).as(status.toString()).isEqualTo(200);
    assertThat(status.object().getInt("pendingWrites")).isZero();
    assertThat(status.object().getBoolean("isSynced")).isTrue();
    awaitReady(Duration.ofSeconds(30));
  }

  /**
   * A record only in this server's journal is read by id here, and not on the other server until it
   * is flushed.
   */
  @Test
  @Order(5)
  void aJournaledRecordIsReadByIdOnItsOwnServerAndElsewhereOnceFlushed() throws Exception {
    String user = "outage-journal-" + UUID.randomUUID();
    JsonObject sample = Samples.record("memories", user);
    Api.Reply accepted = service.post(base + "/api/ingest/memories", sample);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String id = accepted.object().getJsonArray("ids").getString(0);

    Api.Reply here = service.get(memory(id));
    assertThat(here.status()).as(here.toString()).isEqualTo(200);
    assertThat(here.object().get("patterns")).isEqualTo(sample.get("patterns"));
    assertThat(rows("memories", List.of(user))).as("still only in the journal").isZero();
    assertThat(
            ((Number)
                    Database.single(
                        "SELECT count(*) FROM access_logs WHERE user_id = ? AND operation = 'read'"
                            + " AND collection = 'memories'",
                        user))
                .longValue())
        .as("the read is audited")
        .isEqualTo(1);
    assertThat(Api.SERVICE.get("/api/collections/memories/" + id).status())
        .as("another instance")
        .isEqualTo(404);
    // On disk the journal holds the sensitive fields sealed under its key, never in clear.
    String onDisk = journalText();
    assertThat(onDisk).contains(id).contains("\"gsj1:").doesNotContain("calm-after-walk");

    assertThat(operator.post(base + "/api/sync", "").status()).isEqualTo(200);
    assertThat(Api.SERVICE.get("/api/collections/memories/" + id).status()).isEqualTo(200);
  }

  private static String journalText() throws java.io.IOException {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(journal)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        text.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  private static JsonObject item(String collection, JsonObject record) {
    return Json.createObjectBuilder().add("collection", collection).add("record", record).build();
  }

  /**
   * The second server's ingest backlog, from its metrics (operators, HTTPS): what operators read
   * while the sync status cannot answer.
   */
  private static long pendingWrites() {
    String metrics = server.httpsBaseUrl().replace("/guardian-store", "/metrics");
    Api.Reply reply = operator.get(metrics);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    PrometheusText scrape = new PrometheusText(reply.raw().body());
    assertThat(scrape.find("guardian_ingest_pending_writes", Map.of())).hasSize(1);
    return (long) scrape.value("guardian_ingest_pending_writes", Map.of());
  }

  /** One readiness check's JSON, from the second server's /health/ready. */
  private static JsonObject readinessCheck(String name) {
    Api.Reply ready = Api.anonymous().get(server.serverUrl() + "/health/ready");
    return ready.object().getJsonArray("checks").stream()
        .map(JsonValue::asJsonObject)
        .filter(check -> check.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + ready));
  }

  private static long rows(String table, List<String> users) {
    long total = 0;
    for (String user : users) {
      total +=
          ((Number) Database.single("SELECT count(*) FROM " + table + " WHERE user_id = ?", user))
              .longValue();
    }
    return total;
  }

  /** Until the users have this many rows in the table (they land in the background). */
  private static void awaitRows(String table, List<String> users, long expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long found = rows(table, users);
    while (found < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
      found = rows(table, users);
    }
    assertThat(found).as(table + " rows of " + users + " within " + timeout).isEqualTo(expected);
  }

  private static Api.Reply insert(String user) {
    return service.post(base + "/api/collections/memories", Samples.record("memories", user));
  }

  private static String memory(String id) {
    return base + "/api/collections/memories/" + id;
  }

  private static void assertUnavailable(Api.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
    assertThat(reply.raw().body()).doesNotContain("Exception").doesNotContain("at io.");
  }

  /** Until the held request waits for the table lock (and so holds the pool's connection). */
  private static void awaitWaitingForLock() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Object waiting =
          Database.single(
              "SELECT count(*) FROM pg_locks WHERE relation = 'memories'::regclass AND NOT"
                  + " granted");
      if (((Number) waiting).longValue() > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the insert never waited for the lock");
  }

  /**
   * Polls readiness until UP; no poll may take long (nothing hangs while the database comes back).
   */
  private static void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Api.Reply last = null;
    while (System.nanoTime() < deadline) {
      long start = System.nanoTime();
      try {
        last = Api.anonymous().get(server.serverUrl() + "/health/ready");
        if (last.status() == 200) {
          return;
        }
      } catch (java.io.UncheckedIOException notYet) {
        // still starting
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      Thread.sleep(500);
    }
    throw new IllegalStateException("not ready within " + timeout + ": " + last);
  }
}
