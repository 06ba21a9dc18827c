package io.smlguardian.store.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.PurgeRuns;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/status} and {@code GET /api/jobs} on whichever backend the server runs: the
 * backend and its connection without secrets, the pool, per-collection counts that follow what is
 * stored, storage sizes, the oldest record against retention, the last purge; operators only.
 */
class StatusApiIT {

  private static final Api.Client OPERATOR =
      Api.as(TestTokens.token("it-status-operator-" + UUID.randomUUID(), "operator"));
  private final PurgeRuns purges = new PurgeRuns(OPERATOR);

  @Test
  void showsTheBackendAndHowItIsReachedWithoutSecrets() {
    JsonObject status = status();

    assertThat(status.getString("backend")).isEqualTo(Stored.BACKEND);
    JsonObject connection = status.getJsonObject("connection");
    assertThat(connection.getBoolean("reachable")).as(connection.toString()).isTrue();
    assertThat(connection.getJsonNumber("latencyMs").longValue()).isNotNegative();
    String url = connection.getString("url");
    assertThat(url)
        .startsWith(Stored.BACKEND.equals("mongodb") ? "mongodb://" : "jdbc:")
        .doesNotContainPattern("://[^/]*@")
        .doesNotContainPattern("(?i)password=(?!\\*\\*\\*)");
    if (Stored.BACKEND.equals("postgresql")) {
      assertThat(url).startsWith("jdbc:postgresql://");
      assertThat(connection.getString("database")).startsWith("PostgreSQL");
    }
    JsonObject pool = connection.getJsonObject("pool");
    assertThat(pool).as("pool figures").isNotNull();
    assertThat(pool.getJsonNumber("maxSize").longValue()).isPositive();
    assertThat(pool.getJsonNumber("size").longValue())
        .isEqualTo(pool.getJsonNumber("inUse").longValue() + pool.getJsonNumber("idle").longValue())
        .isLessThanOrEqualTo(pool.getJsonNumber("maxSize").longValue());
    if (!Stored.BACKEND.equals("mongodb")) {
      assertThat(pool.getString("name")).isEqualTo("jdbc/guardian");
      // DB_POOL_SIZE; SQLite's pool is one connection, its single writer
      assertThat(pool.getJsonNumber("maxSize").longValue())
          .isEqualTo(Stored.BACKEND.equals("sqlite") ? 1 : 10);
      assertThat(pool.getJsonNumber("created").longValue()).isPositive();
    }
  }

  @Test
  void everyCollectionsCountFollowsWhatIsStored() {
    Map<String, Long> before = records(status());

    String user = "it-status-" + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      for (int i = 0; i < 2; i++) {
        Api.Reply created =
            Api.post("/api/collections/" + collection, Samples.record(collection, user + i));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
      }
    }
    JsonObject status = status();
    Map<String, Long> after = records(status);

    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(Samples.COLLECTIONS);
    for (String collection : Samples.WRITABLE) {
      assertThat(after.get(collection) - before.get(collection)).as(collection).isEqualTo(2);
    }
    assertThat(after.get("memories")).isEqualTo(Stored.count("memories"));
    assertThat(status.getJsonObject("totals").getJsonNumber("records").longValue())
        .isEqualTo(after.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void everyCollectionsStorageIsWhatTheBackendReports() {
    Api.post("/api/collections/memories", Samples.record("memories", "it-status-storage"));

    for (JsonValue value : status().getJsonArray("collections")) {
      JsonObject storage = value.asJsonObject().getJsonObject("storage");
      String name = value.asJsonObject().getString("name");
      if (Stored.BACKEND.equals("memory") || Stored.BACKEND.equals("sqlite")) {
        // H2 in memory and SQLite report no sizes: none is made up, and the reason is given.
        assertThat(storage.isNull("bytes")).as(name).isTrue();
        assertThat(storage.getString("measure")).isEqualTo("not measured on " + Stored.BACKEND);
      } else {
        assertThat(storage.getJsonNumber("bytes").longValue()).as(name).isNotNegative();
        assertThat(storage.getString("measure"))
            .as(name)
            .contains(Stored.BACKEND.equals("mongodb") ? "collStats" : "pg_total_relation_size");
        if (name.equals("memories")) {
          assertThat(storage.getJsonNumber("bytes").longValue()).as(name).isPositive();
        }
      }
    }
    JsonObject totals = status().getJsonObject("totals");
    assertThat(totals.isNull("storageBytes"))
        .isEqualTo(Stored.BACKEND.equals("memory") || Stored.BACKEND.equals("sqlite"));
  }

  @Test
  void theOldestRecordIsSetAgainstItsRetention() {
    // A memory three years old: memories are kept two years, so it is overdue.
    Instant old = Instant.now().atZone(ZoneOffset.UTC).minusYears(3).toInstant();
    JsonObject record =
        Json.createObjectBuilder(Samples.record("memories", "it-status-old"))
            .add("timestamp", old.toString())
            .build();
    Api.Reply created = Api.post("/api/collections/memories", record);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    try {
      JsonObject memories = collection(status(), "memories");

      assertThat(memories.getString("timeField")).isEqualTo("timestamp");
      assertThat(Instant.parse(memories.getString("oldest"))).isBeforeOrEqualTo(old);
      JsonObject retention = memories.getJsonObject("retention");
      assertThat(retention.getString("period")).isEqualTo("P2Y");
      assertThat(Instant.parse(retention.getString("cutoff"))).isAfter(old);
      assertThat(retention.getJsonNumber("due").longValue()).isPositive();
      assertThat(retention.getBoolean("overdue")).isTrue();
      JsonObject sessions = collection(status(), "sessions");
      assertThat(sessions.getString("timeField")).isEqualTo("startTime");
      assertThat(sessions.getJsonObject("retention").getString("period")).isEqualTo("P30D");
    } finally {
      Api.delete("/api/collections/memories/" + created.object().getString("id"), null);
    }
  }

  @Test
  void theLastPurgeIsTheLatestRetentionRunAndJobsListsIt() {
    long id = purges.startDryRun();
    purges.await(id);

    JsonObject jobs = status().getJsonObject("jobs");
    JsonObject lastPurge = jobs.getJsonObject("lastPurge");
    assertThat(lastPurge.getJsonNumber("executionId").longValue()).isEqualTo(id);
    assertThat(lastPurge.getString("job")).isEqualTo("retention-purge");
    assertThat(lastPurge.getString("status")).isEqualTo("COMPLETED");
    assertThat(lastPurge.getString("start")).isNotBlank();
    assertThat(lastPurge.getString("end")).isNotBlank();
    assertThat(jobs.containsKey("lastBackup")).isTrue();
    if (jobs.get("lastBackup").getValueType() != JsonValue.ValueType.NULL) {
      assertThat(jobs.getJsonObject("lastBackup").getString("job")).isEqualTo("backup");
    }

    Api.Reply listed = OPERATOR.get("/api/jobs?limit=5");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.object().getJsonArray("jobs").getValuesAs(JsonValue::toString))
        .contains("\"retention-purge\"");
    List<JsonObject> items = listed.items().getValuesAs(JsonObject.class);
    assertThat(items).hasSizeLessThanOrEqualTo(5);
    JsonObject listedRun =
        items.stream()
            .filter(run -> run.getJsonNumber("executionId").longValue() == id)
            .findFirst()
            .orElseThrow(() -> new AssertionError("run " + id + " not in " + items));
    assertThat(listedRun.getString("status")).isEqualTo("COMPLETED");
    assertThat(listedRun.getBoolean("running")).isFalse();
    assertThat(listedRun.getJsonArray("steps")).isNotEmpty();
    assertThat(listedRun.getJsonArray("steps").getJsonObject(0).getString("name"))
        .isEqualTo("purge");
    List<Long> ids =
        items.stream().map(run -> run.getJsonNumber("executionId").longValue()).toList();
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void badLimitsAreRefused() {
    for (String limit : List.of("0", "201", "ten")) {
      Api.Reply reply = OPERATOR.get("/api/jobs?limit=" + limit);
      assertThat(reply.status()).as(limit).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.object().getString("detail")).contains("limit");
    }
  }

  @Test
  void onlyOperatorsSeeTheStatusAndTheJobs() {
    for (String role : List.of("user", "service", "privacy-officer", "auditor")) {
      Api.Client client = Api.as(TestTokens.token("it-status-" + role, role));
      assertThat(client.get("/api/status").status()).as(role).isEqualTo(403);
      assertThat(client.get("/api/jobs").status()).as(role).isEqualTo(403);
    }
    assertThat(Api.anonymous().get("/api/status").status()).isEqualTo(401);
    assertThat(Api.anonymous().get("/api/jobs").status()).isEqualTo(401);
  }

  private static JsonObject status() {
    Api.Reply reply = OPERATOR.get("/api/status");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  private static Map<String, Long> records(JsonObject status) {
    Map<String, Long> records = new HashMap<>();
    for (JsonValue value : status.getJsonArray("collections")) {
      JsonObject collection = value.asJsonObject();
      records.put(collection.getString("name"), collection.getJsonNumber("records").longValue());
    }
    return records;
  }

  private static JsonObject collection(JsonObject status, String name) {
    return status.getJsonArray("collections").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals(name))
        .findFirst()
        .orElseThrow();
  }
}
