package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The write-behind ingest on the real server and database of each backend: records of many users
 * from concurrent clients are acknowledged with 202, land exactly once after a manual sync, and bad
 * input is refused as the synchronous insert refuses it, with nothing journaled.
 */
class IngestApiIT {

  private static final List<String> HIGH_VOLUME =
      List.of("interactions", "emotional_states", "metrics", "sessions");
  private static final int CLIENTS = 16;
  private static final int PER_REQUEST = 40;

  private final String run = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
  private final Api.Client operator = Api.as(TestTokens.token("it-ingest-operator", "operator"));

  @Test
  void recordsOfManyUsersFromConcurrentClientsLandExactlyOnceAfterAManualSync() throws Exception {
    List<JsonArray> requests = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      requests.add(request(c));
    }
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<Api.Reply>> replies = new ArrayList<>();
    for (JsonArray request : requests) {
      replies.add(clients.submit(() -> Api.SERVICE.post("/api/ingest", request)));
    }
    List<String> ids = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Api.Reply reply = replies.get(c).get();
      assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
      assertThat(reply.object().getInt("accepted")).isEqualTo(PER_REQUEST);
      JsonArray given = reply.object().getJsonArray("ids");
      assertThat(given).hasSize(PER_REQUEST);
      for (int i = 0; i < PER_REQUEST; i++) {
        JsonObject record = requests.get(c).getJsonObject(i).getJsonObject("record");
        if (record.containsKey("id")) { // a client-supplied id is kept
          assertThat(given.getString(i)).isEqualTo(record.getString("id"));
        }
        ids.add(given.getString(i));
      }
    }
    clients.shutdown();
    assertThat(ids).doesNotHaveDuplicates();

    Api.Reply sync = operator.post("/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    assertThat(sync.object().getJsonObject("status").getBoolean("isSynced")).isTrue();
    assertThat(sync.object().getJsonObject("status").getInt("pendingWrites")).isZero();

    for (int c = 0; c < CLIENTS; c++) {
      for (int i = 0; i < PER_REQUEST; i++) {
        JsonObject item = requests.get(c).getJsonObject(i);
        String collection = item.getString("collection");
        String id = ids.get(c * PER_REQUEST + i);
        Api.Reply found = Api.get("/api/collections/" + collection + "/" + id);
        assertThat(found.status()).as(collection + "/" + id + ": " + found).isEqualTo(200);
        JsonObject expected = item.getJsonObject("record");
        for (String field : expected.keySet()) {
          assertThat(found.object().get(field)).as(collection + "." + field).isNotNull();
        }
        assertThat(found.object().get("userId")).isEqualTo(expected.get("userId"));
        assertThat(found.object().getInt("version")).isEqualTo(1);
      }
    }
    long perCollection = (long) CLIENTS * PER_REQUEST / HIGH_VOLUME.size();
    for (String collection : List.of("interactions", "emotional_states", "sessions")) {
      assertThat(countOfRun(collection)).as(collection).isEqualTo(perCollection);
    }

    // The same request again (a client's retry): acknowledged, and stored nothing twice.
    JsonArray again = requests.get(0);
    Api.Reply retried = Api.SERVICE.post("/api/ingest", again);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
    Api.Reply second = operator.post("/api/sync", "");
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    assertThat(second.object().getJsonObject("status").getInt("pendingWrites")).isZero();
    for (String collection : List.of("interactions", "emotional_states", "sessions")) {
      // records without an id of their own were given new ones: those are new records
      long withoutId =
          again.stream()
              .map(v -> v.asJsonObject())
              .filter(item -> item.getString("collection").equals(collection))
              .filter(item -> !item.getJsonObject("record").containsKey("id"))
              .count();
      assertThat(countOfRun(collection)).as(collection).isEqualTo(perCollection + withoutId);
    }
    for (int i = 0; i < PER_REQUEST; i++) {
      JsonObject record = again.getJsonObject(i).getJsonObject("record");
      if (record.containsKey("id")) {
        String collection = again.getJsonObject(i).getString("collection");
        assertThat(
                Api.get("/api/collections/" + collection + "/" + record.getString("id"))
                    .object()
                    .getInt("version"))
            .isEqualTo(1);
      }
    }
  }

  @Test
  void theOneCollectionFormTakesAnObjectOrAnArray() {
    String user = run + "-single";
    Api.Reply one = Api.SERVICE.post("/api/ingest/sessions", Samples.record("sessions", user));
    assertThat(one.status()).as(one.toString()).isEqualTo(202);
    JsonArrayBuilder two = Json.createArrayBuilder();
    two.add(Samples.record("interactions", user)).add(Samples.record("interactions", user));
    Api.Reply many = Api.SERVICE.post("/api/ingest/interactions", two.build());
    assertThat(many.status()).as(many.toString()).isEqualTo(202);
    assertThat(many.object().getJsonArray("ids")).hasSize(2);
    assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);
    String session = one.object().getJsonArray("ids").getString(0);
    assertThat(Api.get("/api/collections/sessions/" + session).status()).isEqualTo(200);
    assertThat(
            Api.get("/api/collections/interactions/count?userId=eq." + Api.q(user))
                .object()
                .getInt("count"))
        .isEqualTo(2);
  }

  /**
   * The flusher writes records without EclipseLink, which reads them: a time of the range's first
   * years (before 1582, where a JDBC timestamp is on the Julian calendar) reads back as it was
   * sent.
   */
  @Test
  void theFirstAndLastInstantsOfTheRangeReadBackAsIngested() {
    String user = run + "-range";
    for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
      JsonObject record =
          Json.createObjectBuilder(Samples.record("interactions", user))
              .add("timestamp", time)
              .build();
      Api.Reply accepted = Api.SERVICE.post("/api/ingest/interactions", record);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);

      String id = accepted.object().getJsonArray("ids").getString(0);
      Api.Reply found = Api.get("/api/collections/interactions/" + id);
      assertThat(found.status()).as(found.toString()).isEqualTo(200);
      assertThat(found.object().getString("timestamp")).isEqualTo(time);
    }
  }

  @Test
  void badInputGetsTheSynchronousApisAnswerAndNothingIsJournaled() {
    long journaled = journalRecords();
    JsonObject good = Samples.record("interactions", run + "-bad");
    JsonObject bad =
        Json.createObjectBuilder(Samples.record("emotional_states", run + "-bad"))
            .add("noSuchField", "sunny")
            .build();

    Api.Reply refused =
        Api.SERVICE.post(
            "/api/ingest", items(item("interactions", good), item("emotional_states", bad)));
    Api.Reply synchronous = Api.SERVICE.post("/api/collections/emotional_states", bad);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(synchronous.status()).isEqualTo(400);
    assertThat(refused.object().getString("detail"))
        .isEqualTo(synchronous.object().getString("detail"));
    assertThat(refused.object().get("errors")).isEqualTo(synchronous.object().get("errors"));

    JsonObject badId = Json.createObjectBuilder(good).add("id", "not-a-uuid").build();
    Api.Reply badIdReply = Api.SERVICE.post("/api/ingest/interactions", badId);
    assertThat(badIdReply.status()).as(badIdReply.toString()).isEqualTo(400);
    assertThat(badIdReply.object().getString("detail")).contains("id: must be a UUID");

    String twice = UUID.randomUUID().toString();
    JsonObject withId = Json.createObjectBuilder(good).add("id", twice).build();
    Api.Reply duplicate =
        Api.SERVICE.post(
            "/api/ingest/interactions", Json.createArrayBuilder().add(withId).add(withId).build());
    assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(400);

    assertThat(Api.SERVICE.post("/api/ingest", "{}").status()).isEqualTo(400);
    assertThat(Api.SERVICE.post("/api/ingest", Json.createArrayBuilder().build()).status())
        .isEqualTo(400);
    assertThat(
            Api.SERVICE
                .post(
                    "/api/ingest",
                    Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("collection", "interactions"))
                        .build())
                .status())
        .isEqualTo(400);
    assertThat(Api.SERVICE.post("/api/ingest/nosuch", good).status()).isEqualTo(404);
    // the audit trail is the store's own, through ingest as through insert
    Api.Reply audit =
        Api.SERVICE.post(
            "/api/ingest/access_logs", Json.createObjectBuilder().add("userId", "x").build());
    assertThat(audit.status()).as(audit.toString()).isEqualTo(403);

    assertThat(journalRecords()).isEqualTo(journaled);
    assertThat(countOfUser("interactions", run + "-bad")).isZero();
  }

  /**
   * A request of several users' records is one audit entry per collection, naming its owners, once
   * the records land: each user finds it among their own entries, and sees it name them alone.
   */
  @Test
  void anIngestOfSeveralUsersIsOneAuditEntryNamingThemThatEachSeesAlone() {
    String[] users = {run + "-a", run + "-b", run + "-c"};
    JsonArrayBuilder request = Json.createArrayBuilder();
    for (String user : users) {
      request.add(item("interactions", Samples.record("interactions", user)));
    }
    request.add(item("emotional_states", Samples.record("emotional_states", users[0])));
    Api.Reply accepted = Api.SERVICE.post("/api/ingest", request.build());
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    Api.Reply sync = operator.post("/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);

    Api.Client auditor = Api.as(TestTokens.token("it-ingest-auditor", "auditor"));
    JsonArray ofB =
        auditor
            .get("/api/collections/access_logs?operation=eq.ingest&userId=eq." + Api.q(users[1]))
            .items();
    assertThat(ofB).hasSize(1);
    JsonObject entry = ofB.getJsonObject(0);
    assertThat(entry.getString("collection")).isEqualTo("interactions");
    assertThat(entry.getString("userId")).isEqualTo("several");
    assertThat(entry.getJsonArray("owners").getValuesAs(JsonString::getString))
        .containsExactly(users);
    JsonArray ofA =
        auditor
            .get("/api/collections/access_logs?operation=eq.ingest&userId=eq." + Api.q(users[0]))
            .items();
    assertThat(ofA.stream().map(e -> e.asJsonObject().getString("collection")))
        .containsExactlyInAnyOrder("interactions", "emotional_states");

    Api.Client userC = Api.as(TestTokens.token(users[2], "user"));
    Api.Reply own = userC.get("/api/collections/access_logs?operation=eq.ingest");
    assertThat(own.status()).as(own.toString()).isEqualTo(200);
    assertThat(own.items()).hasSize(1);
    assertThat(
            own.items().getJsonObject(0).getJsonArray("owners").getValuesAs(JsonString::getString))
        .containsExactly(users[2]);
    assertThat(own.toString()).doesNotContain(users[0]).doesNotContain(users[1]);
    Api.Reply byId = userC.get("/api/collections/access_logs/" + entry.getString("id"));
    assertThat(byId.status()).as(byId.toString()).isEqualTo(200);
    assertThat(byId.toString()).doesNotContain(users[0]).doesNotContain(users[1]);
    Api.Client userOutside = Api.as(TestTokens.token(run + "-outside", "user"));
    assertThat(userOutside.get("/api/collections/access_logs/" + entry.getString("id")).status())
        .isEqualTo(404);
  }

  @Test
  void ingestNeedsTheServiceRoleAndSyncTheOperatorOrServiceRole() {
    JsonObject record = Samples.record("sessions", "it-user");
    Api.Client user = Api.as(TestTokens.token("it-user", "user"));
    Api.Client auditor = Api.as(TestTokens.token("it-ingest-auditor", "auditor"));
    assertThat(user.post("/api/ingest/sessions", record).status()).isEqualTo(403);
    assertThat(operator.post("/api/ingest/sessions", record).status()).isEqualTo(403);
    assertThat(Api.anonymous().post("/api/ingest/sessions", record).status()).isEqualTo(401);
    assertThat(auditor.get("/api/sync").status()).isEqualTo(403);
    assertThat(user.post("/api/sync", "").status()).isEqualTo(403);

    JsonObject status = operator.get("/api/sync").object();
    for (String field :
        List.of("isSynced", "pendingWrites", "lastSyncTime", "nextSyncTime", "syncLatency")) {
      assertThat(status.containsKey(field)).as(field).isTrue();
    }
    assertThat(status.getJsonObject("journal").getJsonNumber("bytes").longValue()).isNotNegative();
    assertThat(Api.SERVICE.get("/api/sync").status()).isEqualTo(200);
  }

  /** Client c's request: records of ten users across the four collections, half with ids. */
  private JsonArray request(int client) {
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (int i = 0; i < PER_REQUEST; i++) {
      String collection = HIGH_VOLUME.get(i % HIGH_VOLUME.size());
      JsonObject record = Samples.record(collection, run + "-u" + (i % 10));
      if ((client + i) % 2 == 0) {
        record = Json.createObjectBuilder(record).add("id", UUID.randomUUID().toString()).build();
      }
      items.add(item(collection, record));
    }
    return items.build();
  }

  private static JsonObject item(String collection, JsonObject record) {
    return Json.createObjectBuilder().add("collection", collection).add("record", record).build();
  }

  private static JsonArray items(JsonObject... items) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (JsonObject item : items) {
      array.add(item);
    }
    return array.build();
  }

  private long countOfRun(String collection) {
    long total = 0;
    for (int u = 0; u < 10; u++) {
      total += countOfUser(collection, run + "-u" + u);
    }
    return total;
  }

  private static long countOfUser(String collection, String user) {
    Api.Reply reply = Api.get("/api/collections/" + collection + "/count?userId=eq." + Api.q(user));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object().getJsonNumber("count").longValue();
  }

  private long journalRecords() {
    Api.Reply status = operator.get("/api/sync");
    assertThat(status.status()).as(status.toString()).isEqualTo(200);
    return status.object().getJsonObject("journal").getJsonNumber("records").longValue();
  }
}
