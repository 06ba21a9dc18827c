package io.smlguardian.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.BatchRestApi;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Retention on the running server and PostgreSQL: the purge job, started through the operations
 * endpoint (JobOperator), deletes exactly the records before each collection's cutoff in every
 * collection; dry runs delete nothing; a stopped run restarts where it stopped; runs never overlap;
 * every run leaves a receipt in the audit trail; the batch management API lists the runs to
 * operators.
 *
 * <p>The build's server keeps sessions 30 days (RETENTION_SESSIONS=P30D) instead of the default 90.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class RetentionApiIT {

  private static final String OPERATOR_NAME = "it-operator-" + UUID.randomUUID();
  private static final Api.Client OPERATOR = Api.as(TestTokens.token(OPERATOR_NAME, "operator"));
  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-auditor-" + UUID.randomUUID(), "auditor"));
  private static final Set<String> ENDED = Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED");

  /** A run of everything due now, so that each test starts with nothing expired. */
  @BeforeAll
  static void purgeWhatIsDueAlready() {
    awaitNoRun();
    long id = start("").object().getJsonNumber("executionId").longValue();
    assertThat(await(id).getString("status")).isEqualTo("COMPLETED");
  }

  @Test
  void showsTheEffectivePolicyOfEveryCollectionAndTheSchedule() {
    Api.Reply reply = AUDITOR.get("/api/retention");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    Map<String, JsonObject> policies = policies(reply.object());
    assertThat(policies.keySet()).containsExactlyInAnyOrderElementsOf(Samples.COLLECTIONS);
    assertThat(policies.get("sessions").getString("period")).isEqualTo("P30D");
    assertThat(policies.get("sessions").getString("source")).isEqualTo("configured");
    assertThat(policies.get("sessions").getString("variable")).isEqualTo("RETENTION_SESSIONS");
    assertThat(policies.get("sessions").getString("timeField")).isEqualTo("startTime");
    assertThat(policies.get("interactions").getString("period")).isEqualTo("P90D");
    assertThat(policies.get("interactions").getString("source")).isEqualTo("default");
    assertThat(policies.get("access_logs").getString("period")).isEqualTo("P7Y");
    Instant asOf = Instant.parse(reply.object().getString("asOf"));
    assertThat(Instant.parse(policies.get("interactions").getString("cutoff")))
        .isEqualTo(asOf.minus(90, ChronoUnit.DAYS));
    JsonObject schedule = reply.object().getJsonObject("schedule");
    assertThat(schedule.getBoolean("enabled")).isTrue();
    assertThat(schedule.getString("cron")).isEqualTo("0 4 1 1 *");
    assertThat(schedule.getString("nextRun")).contains("-01-01T04:00");
  }

  @Test
  void onlyOperatorsRunAndOnlyOperatorsAndAuditorsLook() {
    assertThat(AUDITOR.post("/api/retention/runs", "").status()).isEqualTo(403);
    for (String role : List.of("user", "service", "privacy-officer")) {
      Api.Client client = Api.as(TestTokens.token("it-" + role, role));
      assertThat(client.get("/api/retention").status()).as(role).isEqualTo(403);
      assertThat(client.get("/api/retention/runs").status()).as(role).isEqualTo(403);
      assertThat(client.post("/api/retention/runs", "").status()).as(role).isEqualTo(403);
    }
    assertThat(Api.anonymous().get("/api/retention").status()).isEqualTo(401);
    assertThat(OPERATOR.get("/api/retention/runs/987654321").status()).isEqualTo(404);
  }

  @Test
  void purgesExactlyTheExpiredRecordsOfEveryCollectionAndWritesAReceipt() throws Exception {
    awaitNoRun();
    Seeded seeded = seed();
    Map<String, Long> due = due();
    Map<String, Long> keptBefore = keptRows(seeded.cutoffs());
    for (String collection : Samples.COLLECTIONS) {
      assertThat(due.get(collection)).as(collection).isEqualTo(3);
    }

    Api.Reply started = start("");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    assertThat(started.header("Location")).contains("/api/retention/runs/");
    long id = started.object().getJsonNumber("executionId").longValue();
    JsonObject run = await(id);

    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    assertThat(run.getString("startedBy")).isEqualTo(OPERATOR_NAME);
    assertThat(run.getBoolean("dryRun")).isFalse();
    assertThat(run.getString("start")).isNotBlank();
    assertThat(run.getString("end")).isNotBlank();
    assertThat(run.getJsonNumber("purged").longValue()).isEqualTo(3L * Samples.COLLECTIONS.size());
    for (String collection : Samples.COLLECTIONS) {
      JsonObject counts = run.getJsonObject("collections").getJsonObject(collection);
      assertThat(counts.getJsonNumber("purged").longValue()).as(collection).isEqualTo(3);
      assertThat(Instant.parse(counts.getString("cutoff")))
          .as(collection)
          .isBetween(
              seeded.cutoffs().get(collection).minusSeconds(1),
              seeded.cutoffs().get(collection).plus(10, ChronoUnit.MINUTES));
      String table = collection;
      assertThat(existing(table, seeded.expired().get(collection))).as(collection).isZero();
      assertThat(existing(table, seeded.kept().get(collection))).as(collection).isEqualTo(2);
    }
    // Nothing else went: every collection keeps all its rows on the kept side of the cutoff.
    assertThat(keptRows(seeded.cutoffs())).isEqualTo(keptBefore);
    // Sessions went by the configured 30 days: the expired ones were 32 days old and more,
    // which the default 90 days would have kept (seed() put one at 32 days).
    assertThat(Duration.between(seeded.cutoffs().get("sessions"), Instant.now()).toDays())
        .isBetween(29L, 31L);

    JsonObject receipt = receipt(id);
    assertThat(receipt.getString("status")).isEqualTo("COMPLETED");
    assertThat(receipt.getBoolean("dryRun")).isFalse();
    assertThat(receipt.getJsonNumber("purged").longValue()).isEqualTo(24);
    assertThat(receipt.getJsonNumber("durationMs").longValue()).isNotNegative();
    for (String collection : Samples.COLLECTIONS) {
      JsonObject entry = receipt.getJsonObject("collections").getJsonObject(collection);
      assertThat(entry.getString("cutoff"))
          .isEqualTo(
              run.getJsonObject("collections").getJsonObject(collection).getString("cutoff"));
      assertThat(entry.getInt("purged")).isEqualTo(3);
      assertThat(entry.getJsonNumber("ms").longValue()).isNotNegative();
    }
    assertThat(
            Database.single(
                "SELECT principal FROM access_logs WHERE access_type = 'retention'"
                    + " AND reason LIKE ?",
                "%\"executionId\":" + id + ",%"))
        .isEqualTo(OPERATOR_NAME);
  }

  @Test
  void aDryRunCountsWhatIsDueAndDeletesNothing() throws Exception {
    awaitNoRun();
    Seeded seeded = seed();
    Map<String, Long> rowsBefore = new HashMap<>();
    for (String collection : Samples.COLLECTIONS) {
      rowsBefore.put(collection, rowsBesidesTheOperatorsRequests(collection));
    }

    Api.Reply started = start("?dryRun=true");
    long id = started.object().getJsonNumber("executionId").longValue();
    JsonObject run = await(id);

    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    assertThat(run.getBoolean("dryRun")).isTrue();
    assertThat(run.getString("exitStatus")).startsWith("DRY RUN");
    for (String collection : Samples.COLLECTIONS) {
      JsonObject counts = run.getJsonObject("collections").getJsonObject(collection);
      assertThat(counts.getJsonNumber("purged").longValue()).as(collection).isEqualTo(3);
      assertThat(existing(collection, seeded.expired().get(collection))).isEqualTo(3);
      long receipts = collection.equals("access_logs") ? 1 : 0;
      assertThat(rowsBesidesTheOperatorsRequests(collection))
          .as(collection)
          .isEqualTo(rowsBefore.get(collection) + receipts);
    }
    JsonObject receipt = receipt(id);
    assertThat(receipt.getBoolean("dryRun")).isTrue();
    assertThat(receipt.getJsonNumber("purged").longValue()).isEqualTo(24);
    // Clean up for the other tests: the records are due.
    assertThat(
            await(start("").object().getJsonNumber("executionId").longValue()).getString("status"))
        .isEqualTo("COMPLETED");
  }

  @Test
  void aStoppedRunRestartsWhereItStoppedAndRunsNeverOverlap() throws Exception {
    awaitNoRun();
    int expired = 20_000;
    String user = "ret-bulk-" + UUID.randomUUID();
    Instant old = Instant.now().minus(200, ChronoUnit.DAYS);
    Instant recent = Instant.now().minus(1, ChronoUnit.DAYS);
    insertInteractions(user, expired, old);
    insertInteractions(user, 5, recent);

    // Chunks of 2 ids: one delete each, so the run takes a while and the stop lands mid-run.
    long id = start("?chunkSize=2").object().getJsonNumber("executionId").longValue();
    awaitDeletions(id, user, old.plusSeconds(1), expired);
    JsonObject running = run(id);
    assertThat(running.getString("status")).isIn("STARTING", "STARTED");
    assertThat(running.getJsonObject("collections").getJsonObject("interactions"))
        .as("a running run shows its counts so far")
        .isNotNull();

    Api.Reply second = start("");
    assertThat(second.status()).as(second.toString()).isEqualTo(409);
    assertThat(second.contentType()).startsWith("application/problem+json");
    assertThat(second.object().getString("detail")).contains("in progress");

    Api.Reply stop = OPERATOR.post("/api/retention/runs/" + id + "/stop", "");
    assertThat(stop.status()).as(stop.toString()).isEqualTo(202);
    JsonObject stopped = await(id);
    assertThat(stopped.getString("status")).isEqualTo("STOPPED");
    long left = interactionsOf(user, old.plusSeconds(1));
    long purgedBeforeStop =
        stopped
            .getJsonObject("collections")
            .getJsonObject("interactions")
            .getJsonNumber("purged")
            .longValue();
    assertThat(left).as("the stop landed mid-run").isBetween(1L, expired - 1L);
    assertThat(purgedBeforeStop).isEqualTo(expired - left);
    assertThat(OPERATOR.post("/api/retention/runs/" + id + "/stop", "").status()).isEqualTo(409);

    Api.Reply restarted = OPERATOR.post("/api/retention/runs/" + id + "/restart", "");
    assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
    long again = restarted.object().getJsonNumber("executionId").longValue();
    assertThat(again).isNotEqualTo(id);
    JsonObject finished = await(again);

    assertThat(finished.getString("status")).isEqualTo("COMPLETED");
    assertThat(finished.getJsonNumber("instanceId").longValue())
        .isEqualTo(stopped.getJsonNumber("instanceId").longValue());
    JsonObject interactions = finished.getJsonObject("collections").getJsonObject("interactions");
    assertThat(interactions.getJsonNumber("purged").longValue()).isEqualTo(expired);
    assertThat(interactions.getJsonNumber("purgedThisRun").longValue()).isEqualTo(left);
    assertThat(interactions.getString("cutoff"))
        .isEqualTo(
            stopped.getJsonObject("collections").getJsonObject("interactions").getString("cutoff"));
    assertThat(finished.getJsonNumber("purged").longValue()).isEqualTo(expired);
    assertThat(interactionsOf(user, old.plusSeconds(1))).isZero();
    assertThat(interactionsOf(user, Instant.now())).isEqualTo(5);
    assertThat(receipt(id).getString("status")).isEqualTo("STOPPED");
    assertThat(receipt(again).getJsonNumber("purged").longValue()).isEqualTo(left);

    Api.Reply completed = OPERATOR.post("/api/retention/runs/" + again + "/restart", "");
    assertThat(completed.status()).as(completed.toString()).isEqualTo(409);
  }

  @Test
  void theBatchManagementApiListsRetentionRunsToOperatorTokensOverHttps() {
    awaitNoRun();
    long id = start("?dryRun=true").object().getJsonNumber("executionId").longValue();
    long instance = await(id).getJsonNumber("instanceId").longValue();

    HttpResponse<String> listed =
        BatchRestApi.get("/jobinstances", BatchRestApi.bearer(TestTokens.token("ops", "operator")));
    HttpResponse<String> anonymous = BatchRestApi.get("/jobinstances", null);

    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    JsonValue instances = Json.createReader(new StringReader(listed.body())).readValue();
    // Other jobs' instances are listed too (backup, user-export): find this run's.
    assertThat(instances.asJsonArray())
        .anySatisfy(
            i -> {
              assertThat(i.asJsonObject().getJsonNumber("instanceId").longValue())
                  .isEqualTo(instance);
              assertThat(i.asJsonObject().getString("jobName")).isEqualTo("retention-purge");
            });
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Seeded(
      Map<String, Instant> cutoffs,
      Map<String, List<String>> expired,
      Map<String, List<String>> kept) {}

  /**
   * In every collection, three records before its cutoff (2 days, 3 days and a year earlier) and
   * two after it (2 days later, and an hour ago), inserted through the API.
   */
  @Test
  void recordsOfUsersUnderLegalHoldAreKeptWhateverTheirAge() {
    awaitNoRun();
    String held = "held-" + UUID.randomUUID();
    String free = "free-" + UUID.randomUUID();
    Instant old = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    List<String> ids = new java.util.ArrayList<>();
    for (String user : List.of(held, free)) {
      ids.add(
          Api.post(
                  "/api/collections/emotional_states",
                  Json.createObjectBuilder(Samples.record("emotional_states", user))
                      .add("timestamp", old.toString())
                      .build())
              .object()
              .getString("id"));
    }
    Api.Client officer = Api.as(TestTokens.token("it-hold-officer", "privacy-officer"));
    assertThat(
            officer
                .send(
                    "PUT",
                    "/api/privacy/users/" + held + "/hold",
                    "application/json",
                    "{\"reason\":\"litigation\"}")
                .status())
        .isEqualTo(200);

    long id = start("").object().getJsonNumber("executionId").longValue();
    assertThat(await(id).getString("status")).isEqualTo("COMPLETED");

    assertThat(existing("emotional_states", List.of(ids.get(0)))).isEqualTo(1);
    assertThat(existing("emotional_states", List.of(ids.get(1)))).isZero();

    assertThat(officer.delete("/api/privacy/users/" + held + "/hold", null).status())
        .isEqualTo(204);
    long again = start("").object().getJsonNumber("executionId").longValue();
    assertThat(await(again).getString("status")).isEqualTo("COMPLETED");
    assertThat(existing("emotional_states", List.of(ids.get(0)))).isZero();
  }

  /**
   * The table's rows, but for the audit entries of this test's own requests (the run started, its
   * status polled): every access is recorded, and what a dry run must not change is the rest.
   */
  private static long rowsBesidesTheOperatorsRequests(String table) {
    if (!table.equals("access_logs")) {
      return Database.rows(table);
    }
    return (Long)
        Database.single(
            "SELECT count(*) FROM access_logs"
                + " WHERE NOT (principal = ? AND access_type IN ('read', 'write'))",
            OPERATOR_NAME);
  }

  /** The access type of the audit entries seed() puts in. */
  private static final String SEEDED_ACCESS = "retention-test";

  private static Seeded seed() {
    Map<String, JsonObject> policies = policies(OPERATOR.get("/api/retention").object());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Map<String, Instant> cutoffs = new HashMap<>();
    Map<String, List<String>> expired = new HashMap<>();
    Map<String, List<String>> kept = new HashMap<>();
    String user = "ret-" + UUID.randomUUID();
    for (String collection : Samples.COLLECTIONS) {
      JsonObject policy = policies.get(collection);
      String timeField = policy.getString("timeField");
      Instant cutoff =
          now.atZone(ZoneOffset.UTC).minus(Period.parse(policy.getString("period"))).toInstant();
      cutoffs.put(collection, cutoff);
      List<Instant> times =
          List.of(
              cutoff.minus(2, ChronoUnit.DAYS),
              cutoff.minus(3, ChronoUnit.DAYS),
              cutoff.minus(365, ChronoUnit.DAYS),
              cutoff.plus(2, ChronoUnit.DAYS),
              now.minus(1, ChronoUnit.HOURS));
      if (collection.equals("access_logs")) {
        // The audit trail is written by the store alone: its old entries are put in with SQL, as
        // entries of the legacy segment (block 0), which retention purges by time. The ledger's
        // sealed blocks go whole (AuditLedgerTest): none here is old enough.
        List<String> ids = new java.util.ArrayList<>();
        for (Instant time : times) {
          ids.add(
              String.valueOf(
                  Database.single(
                      "INSERT INTO access_logs (id, created_at, version, user_id, access_type,"
                          + " timestamp, success, block_no) VALUES (gen_random_uuid(), now(), 1,"
                          + " ?, '"
                          + SEEDED_ACCESS
                          + "', ?, true, 0) RETURNING id::text",
                      user,
                      Timestamp.from(time))));
        }
        expired.put(collection, ids.subList(0, 3));
        kept.put(collection, ids.subList(3, 5));
        continue;
      }
      JsonArrayBuilder records = Json.createArrayBuilder();
      for (Instant time : times) {
        records.add(
            Json.createObjectBuilder(Samples.record(collection, user))
                .add(timeField, time.toString()));
      }
      Api.Reply inserted = Api.post("/api/collections/" + collection, records.build());
      assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
      List<String> ids =
          inserted.items().stream().map(i -> i.asJsonObject().getString("id")).toList();
      expired.put(collection, ids.subList(0, 3));
      kept.put(collection, ids.subList(3, 5));
    }
    return new Seeded(cutoffs, expired, kept);
  }

  private static Map<String, JsonObject> policies(JsonObject retention) {
    Map<String, JsonObject> byCollection = new HashMap<>();
    retention
        .getJsonArray("policies")
        .forEach(p -> byCollection.put(p.asJsonObject().getString("collection"), p.asJsonObject()));
    return byCollection;
  }

  private static Map<String, Long> due() {
    Map<String, Long> due = new HashMap<>();
    policies(OPERATOR.get("/api/retention").object())
        .forEach((name, policy) -> due.put(name, policy.getJsonNumber("due").longValue()));
    return due;
  }

  /** Per collection, the rows at or after the cutoff (the audit trail's receipts aside). */
  private static Map<String, Long> keptRows(Map<String, Instant> cutoffs) {
    Map<String, Long> rows = new HashMap<>();
    for (String collection : Samples.COLLECTIONS) {
      String column = collection.equals("sessions") ? "start_time" : "timestamp";
      // Of the audit trail, only the seeded entries: every request of the test adds new ones.
      String receipts =
          collection.equals("access_logs") ? " AND access_type = '" + SEEDED_ACCESS + "'" : "";
      rows.put(
          collection,
          (Long)
              Database.single(
                  "SELECT count(*) FROM " + collection + " WHERE " + column + " >= ?" + receipts,
                  Timestamp.from(cutoffs.get(collection).plus(1, ChronoUnit.DAYS))));
    }
    return rows;
  }

  private static long existing(String table, List<String> ids) {
    return (Long)
        Database.single(
            "SELECT count(*) FROM " + table + " WHERE id::text = ANY (?)",
            (Object) ids.toArray(String[]::new));
  }

  private static long interactionsOf(String user, Instant before) {
    return (Long)
        Database.single(
            "SELECT count(*) FROM interactions WHERE user_id = ? AND timestamp < ?",
            user,
            Timestamp.from(before));
  }

  /** Interactions at the time and up to a second before it, twenty at each instant. */
  private static void insertInteractions(String user, int count, Instant time) throws Exception {
    try (Connection connection = Database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO interactions (id, created_at, version, user_id, session_id, type,"
                    + " response_time, agent_mode, timestamp)"
                    + " SELECT gen_random_uuid(), now(), 1, ?, 'bulk', 'chat', 1.0, 'mirror',"
                    + " ?::timestamptz - (i % 1000) * interval '1 millisecond'"
                    + " FROM generate_series(1, ?) AS i")) {
      insert.setString(1, user);
      insert.setTimestamp(2, Timestamp.from(time));
      insert.setInt(3, count);
      insert.executeUpdate();
    }
  }

  private static Api.Reply start(String query) {
    return OPERATOR.post("/api/retention/runs" + query, "");
  }

  private static JsonObject run(long id) {
    Api.Reply reply = OPERATOR.get("/api/retention/runs/" + id);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  /** Waits until the run ended, and returns it. */
  private static JsonObject await(long id) {
    Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      JsonObject run = run(id);
      if (ENDED.contains(run.getString("status"))) {
        return run;
      }
      sleep(200);
    }
    throw new AssertionError("retention run " + id + " did not end: " + run(id));
  }

  /** Waits until the run has deleted some of the user's interactions before the time. */
  private static void awaitDeletions(long id, String user, Instant before, long inserted) {
    Instant deadline = Instant.now().plus(2, ChronoUnit.MINUTES);
    while (Instant.now().isBefore(deadline)) {
      if (interactionsOf(user, before) < inserted) {
        return;
      }
      sleep(10);
    }
    throw new AssertionError("retention run " + id + " deleted nothing: " + run(id));
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
      sleep(200);
    }
    throw new AssertionError("a retention run is still in progress");
  }

  private static JsonObject receipt(long executionId) {
    String reason =
        (String)
            Database.single(
                "SELECT reason FROM access_logs WHERE access_type = 'retention'"
                    + " AND user_id = 'system' AND reason LIKE ?",
                "%\"executionId\":" + executionId + ",%");
    return Json.createReader(new StringReader(reason)).readObject();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
