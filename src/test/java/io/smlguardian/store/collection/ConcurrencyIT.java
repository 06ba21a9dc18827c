package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two writers on one record, both holding version 1: exactly one update wins, the other gets 412,
 * and the record ends at version 2 with the winner's value. Repeated, since the race differs each
 * time (caught by the version check or by the database's version guard).
 */
class ConcurrencyIT {

  @RepeatedTest(5)
  void twoWritersOneWins() throws Exception {
    String id =
        Api.post("/api/collections/memories", Samples.record("memories", "race-user"))
            .object()
            .getString("id");
    String path = "/api/collections/memories/" + id;
    CountDownLatch start = new CountDownLatch(1);

    List<CompletableFuture<Api.Reply>> writers =
        List.of(0.1, 0.2).stream()
            .map(
                strength ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          await(start);
                          return Api.patch(
                              path,
                              Json.createObjectBuilder().add("strength", strength).build(),
                              "\"1\"");
                        }))
            .toList();
    start.countDown();
    List<Api.Reply> replies = writers.stream().map(CompletableFuture::join).toList();

    assertThat(replies).extracting(Api.Reply::status).containsExactlyInAnyOrder(200, 412);
    Api.Reply winner = replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
    var stored = Api.get(path).object();
    assertThat(stored.getInt("version")).isEqualTo(2);
    assertThat(stored.get("strength")).isEqualTo(winner.object().get("strength"));
  }

  /**
   * Sixteen writers of one new user's records at once: every insert is acknowledged, and the user's
   * audit chain holds an entry for each, every one at a position of its own (on MongoDB, where the
   * chain's head is not locked, an append that loses the head to another links again after it).
   */
  @RepeatedTest(2)
  void concurrentWritersOfOneUserAllGetInAndTheAuditChainHolds() throws Exception {
    String user = "crowd-" + UUID.randomUUID();
    int writers = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Api.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        replies.add(
            threads.submit(
                () -> {
                  await(start);
                  return Api.post("/api/collections/memories", Samples.record("memories", user));
                }));
      }
      start.countDown();
      for (Future<Api.Reply> reply : replies) {
        assertThat(reply.get().status()).as(reply.get().toString()).isEqualTo(201);
      }
    } finally {
      threads.shutdown();
    }

    var chain =
        Api.as(TestTokens.token("it-crowd-auditor", "auditor"))
            .get("/api/audit/chains/" + user + "/verification")
            .object();
    assertThat(chain.getBoolean("valid")).as(chain.toString()).isTrue();
    assertThat(chain.getJsonNumber("entries").longValue()).isGreaterThanOrEqualTo(writers);
    assertThat(
            Api.get("/api/collections/memories/count?userId=eq." + Api.q(user))
                .object()
                .getInt("count"))
        .isEqualTo(writers);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
