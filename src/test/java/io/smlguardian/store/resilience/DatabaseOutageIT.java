package io.smlguardian.store.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TcpProxy;
import io.smlguardian.store.testsupport.TestTokens;
import java.net.URI;
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
  private static Api.Client service;
  private static String base;

  @BeforeAll
  static void startServerBehindProxy() throws Exception {
    URI database = URI.create(System.getProperty("guardian.db.url").substring("jdbc:".length()));
    proxy = TcpProxy.to(database.getHost(), database.getPort());
    server =
        SecondServer.start(
            "guardianStore-outage",
            Map.of("DB_POOL_SIZE", "1", "DB_POOL_WAIT", "1s"),
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
