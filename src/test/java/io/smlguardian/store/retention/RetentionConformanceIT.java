package io.smlguardian.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The retention purge on whichever backend the server runs (every backend's test run has this
 * class; RetentionApiIT checks the rest on PostgreSQL with SQL): in small chunks, so that each
 * collection is walked by several keyset reads and bounded range deletes, with two records at one
 * instant on a chunk's boundary, the job deletes exactly the records before each cutoff. Records go
 * in and are looked up through the API alone.
 */
class RetentionConformanceIT {

  private static final Api.Client OPERATOR =
      Api.as(TestTokens.token("it-conformance-operator-" + UUID.randomUUID(), "operator"));
  private static final Set<String> ENDED = Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED");

  @Test
  void purgesExactlyTheRecordsBeforeEachCutoffChunkByChunk() {
    awaitNoRun();
    String user = "conf-retention-" + UUID.randomUUID();
    Instant now = Instant.now();
    Map<String, JsonObject> policies = new HashMap<>();
    OPERATOR
        .get("/api/retention")
        .object()
        .getJsonArray("policies")
        .forEach(p -> policies.put(p.asJsonObject().getString("collection"), p.asJsonObject()));

    Map<String, List<String>> expired = new HashMap<>();
    Map<String, List<String>> kept = new HashMap<>();
    for (String collection : Samples.WRITABLE) {
      JsonObject policy = policies.get(collection);
      Instant cutoff =
          now.atZone(ZoneOffset.UTC).minus(Period.parse(policy.getString("period"))).toInstant();
      Instant boundary = cutoff.minus(2, ChronoUnit.DAYS);
      // With chunks of two, the second and third of these share the instant at a chunk's end.
      List<Instant> old =
          List.of(
              cutoff.minus(365, ChronoUnit.DAYS),
              boundary,
              boundary,
              cutoff.minus(1, ChronoUnit.DAYS));
      List<Instant> recent = List.of(cutoff.plus(2, ChronoUnit.DAYS), now.minusSeconds(3600));
      String timeField = policy.getString("timeField");
      expired.put(collection, insert(collection, user, timeField, old));
      kept.put(collection, insert(collection, user, timeField, recent));
    }

    Api.Reply started = OPERATOR.post("/api/retention/runs?chunkSize=2", "");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    JsonObject run = await(started.object().getJsonNumber("executionId").longValue());

    assertThat(run.getString("status")).as(run.toString()).isEqualTo("COMPLETED");
    for (String collection : Samples.WRITABLE) {
      // At least this test's expired records; others' too, if any were left due.
      assertThat(
              run.getJsonObject("collections")
                  .getJsonObject(collection)
                  .getJsonNumber("purged")
                  .longValue())
          .as(collection)
          .isGreaterThanOrEqualTo(4);
      for (String id : expired.get(collection)) {
        assertThat(Api.get("/api/collections/" + collection + "/" + id).status())
            .as(collection + " expired " + id)
            .isEqualTo(404);
      }
      for (String id : kept.get(collection)) {
        assertThat(Api.get("/api/collections/" + collection + "/" + id).status())
            .as(collection + " kept " + id)
            .isEqualTo(200);
      }
    }
  }

  /** One request per record: MongoDB refuses several writes in one request. */
  private static List<String> insert(
      String collection, String user, String timeField, List<Instant> times) {
    List<String> ids = new ArrayList<>();
    for (Instant time : times) {
      JsonObject record =
          Json.createObjectBuilder(Samples.record(collection, user))
              .add(timeField, time.truncatedTo(ChronoUnit.MICROS).toString())
              .build();
      Api.Reply reply = Api.post("/api/collections/" + collection, record);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
      ids.add(reply.object().getString("id"));
    }
    return ids;
  }

  private static JsonObject await(long executionId) {
    Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      JsonObject run = OPERATOR.get("/api/retention/runs/" + executionId).object();
      if (ENDED.contains(run.getString("status"))) {
        return run;
      }
      sleep();
    }
    throw new AssertionError("retention run " + executionId + " did not end");
  }

  private static void awaitNoRun() {
    Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      boolean running =
          OPERATOR.get("/api/retention/runs").items().stream()
              .anyMatch(r -> !ENDED.contains(r.asJsonObject().getString("status")));
      if (!running) {
        return;
      }
      sleep();
    }
    throw new AssertionError("a retention run is still in progress");
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
