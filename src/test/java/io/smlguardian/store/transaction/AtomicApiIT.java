package io.smlguardian.store.transaction;

import static io.smlguardian.store.testsupport.Api.get;
import static io.smlguardian.store.testsupport.Api.post;
import static io.smlguardian.store.testsupport.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api.Reply;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The atomic endpoint: all operations commit together, or a failure rolls every one back. On a
 * backend without transactions (mongodb) a request of several operations is refused instead, before
 * any write.
 */
class AtomicApiIT {

  private static JsonObject insert(String collection, JsonObject record) {
    return Json.createObjectBuilder()
        .add("op", "insert")
        .add("collection", collection)
        .add("record", record)
        .build();
  }

  private static JsonObject request(JsonObject... operations) {
    var list = Json.createArrayBuilder();
    for (JsonObject op : operations) {
      list.add(op);
    }
    return Json.createObjectBuilder().add("operations", list).build();
  }

  private static long owned(String collection, String user) {
    return get("/api/collections/" + collection + "/count?userId=eq." + q(user))
        .object()
        .getInt("count");
  }

  // Excluded on mongodb: it refuses several operations (severalOperationsAreRefused...).
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "mongodb",
      disabledReason =
          "mongodb refuses atomic requests of several operations (no transactions):"
              + " that 501 is tested there instead, by severalOperationsAreRefusedWithoutTransactions")
  @Test
  void allOperationsOverSeveralCollectionsCommitTogether() {
    String user = "atomic-" + UUID.randomUUID();
    String memory =
        post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    String doomed =
        post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");

    Reply reply =
        post(
            "/api/atomic",
            request(
                insert("sessions", Samples.record("sessions", user)),
                insert("interactions", Samples.record("interactions", user)),
                Json.createObjectBuilder()
                    .add("op", "update")
                    .add("collection", "memories")
                    .add("id", memory)
                    .add("version", 1)
                    .add("changes", Json.createObjectBuilder().add("strength", 0.3))
                    .build(),
                Json.createObjectBuilder()
                    .add("op", "delete")
                    .add("collection", "memories")
                    .add("id", doomed)
                    .build()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    var results = reply.object().getJsonArray("results");
    assertThat(results).hasSize(4);
    assertThat(results.getJsonObject(0).getString("op")).isEqualTo("insert");
    assertThat(results.getJsonObject(2).getInt("version")).isEqualTo(2);
    assertThat(owned("sessions", user)).isEqualTo(1);
    assertThat(owned("interactions", user)).isEqualTo(1);
    assertThat(owned("memories", user)).isEqualTo(1);
    assertThat(
            get("/api/collections/memories/" + memory)
                .object()
                .getJsonNumber("strength")
                .doubleValue())
        .isEqualTo(0.3);
  }

  // Excluded on mongodb: it refuses several operations (severalOperationsAreRefused...).
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "mongodb",
      disabledReason =
          "mongodb refuses atomic requests of several operations (no transactions):"
              + " that 501 is tested there instead, by severalOperationsAreRefusedWithoutTransactions")
  @Test
  void aFailingOperationRollsBackTheOnesBeforeIt() {
    String user = "atomic-" + UUID.randomUUID();
    String memory =
        post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    long sessionsBefore = Stored.count("sessions");

    Reply reply =
        post(
            "/api/atomic",
            request(
                insert("sessions", Samples.record("sessions", user)),
                Json.createObjectBuilder()
                    .add("op", "update")
                    .add("collection", "memories")
                    .add("id", memory)
                    .add("changes", Json.createObjectBuilder().add("strength", 0.3))
                    .build(),
                Json.createObjectBuilder()
                    .add("op", "update")
                    .add("collection", "memories")
                    .add("id", memory)
                    .add("version", 1) // the previous operation moved it to 2
                    .add("changes", Json.createObjectBuilder().add("strength", 0.4))
                    .build()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(412);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.object().getInt("operationIndex")).isEqualTo(2);
    assertThat(reply.object().getString("detail")).contains("Nothing was committed");
    assertThat(Stored.count("sessions")).isEqualTo(sessionsBefore);
    var stored = get("/api/collections/memories/" + memory).object();
    assertThat(stored.getInt("version")).isEqualTo(1);
    assertThat(stored.getJsonNumber("strength").doubleValue()).isEqualTo(0.8);
  }

  // Excluded on mongodb: it refuses several operations (severalOperationsAreRefused...).
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "mongodb",
      disabledReason =
          "mongodb refuses atomic requests of several operations (no transactions):"
              + " that 501 is tested there instead, by severalOperationsAreRefusedWithoutTransactions")
  @Test
  void anInvalidRecordInTheMiddleRollsBackAndIsNamed() {
    String user = "atomic-" + UUID.randomUUID();

    Reply reply =
        post(
            "/api/atomic",
            request(
                insert("sessions", Samples.record("sessions", user)),
                insert("memories", Json.createObjectBuilder().add("userId", user).build()),
                insert("interactions", Samples.record("interactions", user))));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.object().getInt("operationIndex")).isEqualTo(1);
    assertThat(reply.object().getJsonArray("errors").toString())
        .contains("type: must not be blank");
    assertThat(owned("sessions", user)).isZero();
    assertThat(owned("interactions", user)).isZero();
  }

  @Test
  void malformedRequestsAreRefusedBeforeAnyWrite() {
    assertThat(post("/api/atomic", Json.createObjectBuilder().build()).status()).isEqualTo(400);
    assertThat(post("/api/atomic", request()).object().getString("detail"))
        .contains("takes 1 to 1000 operations");
    Reply unknown =
        post(
            "/api/atomic",
            request(
                Json.createObjectBuilder()
                    .add("op", "merge")
                    .add("collection", "memories")
                    .build()));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.object().getString("detail")).contains("operations[0].op must be");
  }

  /** Only where several writes cannot be all or nothing: refused, nothing written. */
  @EnabledIfSystemProperty(named = "guardian.backend", matches = "mongodb")
  @Test
  void severalOperationsAreRefusedWithoutTransactions() {
    String user = "atomic-" + UUID.randomUUID();

    Reply reply =
        post(
            "/api/atomic",
            request(
                insert("sessions", Samples.record("sessions", user)),
                insert("interactions", Samples.record("interactions", user))));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(501);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.object().getString("detail"))
        .startsWith("mongodb: an atomic request of several operations")
        .contains("replica set with transactions");
    assertThat(owned("sessions", user)).isZero();
    assertThat(owned("interactions", user)).isZero();

    Reply one = post("/api/atomic", request(insert("sessions", Samples.record("sessions", user))));
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(owned("sessions", user)).isEqualTo(1);
  }
}
