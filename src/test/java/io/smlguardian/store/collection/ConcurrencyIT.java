package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.Json;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
