package io.smlguardian.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.BatchRestApi;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.PurgeRuns;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Liberty's batch REST API ({@code /ibm/api/batch}) goes through the application's roles: only
 * tokens with the operator role administer jobs there; every other token, a password login and an
 * anonymous caller are refused. What an operator submits there is checked by the job itself: a
 * purge with a cutoff later than its policy allows fails before deleting anything, seen in
 * PostgreSQL.
 */
@Tag("postgresql") // counts the records that must survive with SQL
class BatchAdministrationIT {

  private static final String OPERATOR = TestTokens.token("it-batch-operator", "operator");
  private static final PurgeRuns RUNS = new PurgeRuns(Api.as(OPERATOR));

  /** Emotional states are kept 180 days: these, 10 days old, are kept by the policy. */
  private static final String OWNER = "batch-it-" + UUID.randomUUID();

  private static final List<String> KEPT = new ArrayList<>();

  @BeforeAll
  static void insertRecordsThePolicyKeeps() {
    Instant tenDaysAgo = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    for (int i = 0; i < 3; i++) {
      Api.Reply created =
          Api.post(
              "/api/collections/emotional_states",
              Json.createObjectBuilder(Samples.record("emotional_states", OWNER))
                  .add("timestamp", tenDaysAgo.toString())
                  .build());
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      KEPT.add(created.object().getString("id"));
    }
  }

  @AfterAll
  static void deleteThem() {
    KEPT.forEach(id -> Api.delete("/api/collections/emotional_states/" + id, null));
  }

  @Test
  void tokensWithoutTheOperatorRoleAPasswordAndAnonymousCallersAreRefused() {
    for (String role : List.of("user", "service", "privacy-officer", "auditor")) {
      HttpResponse<String> listed =
          BatchRestApi.get(
              "/jobinstances", BatchRestApi.bearer(TestTokens.token("it-" + role, role)));
      assertThat(listed.statusCode()).as(role + ": " + listed.body()).isIn(401, 403);
    }
    String batchIdentity =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("guardian-store-jobs:".getBytes(StandardCharsets.UTF_8));
    assertThat(BatchRestApi.get("/jobinstances", batchIdentity).statusCode()).isIn(401, 403);
    assertThat(BatchRestApi.get("/jobinstances", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aUserOrServiceTokenCannotSubmitAJob() {
    long before = newestInstance();
    for (String role : List.of("user", "service")) {
      HttpResponse<String> submitted =
          BatchRestApi.post(
              "/jobinstances",
              BatchRestApi.bearer(TestTokens.token("it-" + role, role)),
              submission(
                  "\"cutoffs\":\"emotional_states=" + Instant.now().plusSeconds(86_400) + "\""));
      assertThat(submitted.statusCode()).as(role + ": " + submitted.body()).isIn(401, 403);
    }

    assertThat(newestInstance()).as("no job instance was created").isEqualTo(before);
    assertThat(surviving()).isEqualTo(KEPT.size());
  }

  @Test
  void anOperatorTokenIsAllowedAndItsPurgeWithinThePolicyRuns() {
    RUNS.awaitNoRun();
    HttpResponse<String> submitted =
        BatchRestApi.post(
            "/jobinstances",
            BatchRestApi.bearer(OPERATOR),
            submission("\"dryRun\":\"true\",\"startedBy\":\"it-batch-operator\""));

    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    JsonObject run = RUNS.await(latestExecution(instanceId(submitted)));
    assertThat(run.getString("status")).as(run.toString()).isEqualTo("COMPLETED");
    assertThat(run.getString("startedBy")).isEqualTo("it-batch-operator");
  }

  @Test
  void aPurgeWithAFutureCutoffSubmittedThereIsRefusedByTheJobAndDeletesNothing() {
    assertRefusedByTheJob(Instant.now().plus(1, ChronoUnit.DAYS), "is later than its policy");
  }

  @Test
  void aPurgeWithACutoffPastButLaterThanThePolicyAllowsIsRefusedToo() {
    // 5 days ago: in the past, but the policy keeps 180 days; the records are 10 days old.
    assertRefusedByTheJob(Instant.now().minus(5, ChronoUnit.DAYS), "is later than its policy");
  }

  @Test
  void aRestoreWithAFlagThatIsNeitherTrueNorFalseIsRefusedByTheJob() {
    // Read as false before, silently; a path as backup id was refused already.
    JsonObject flag =
        awaitEnd(
            submitted(
                "restore", "\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"replace\":\"yes\""));
    JsonObject path = awaitEnd(submitted("restore", "\"backupId\":\"../../data/sml_guardian\""));

    assertThat(flag.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(flag.getString("exitStatus")).contains("replace='yes' must be true or false");
    assertThat(path.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(path.getString("exitStatus")).contains("is not a backup id");
    assertThat(surviving()).isEqualTo(KEPT.size());
  }

  @Test
  void aRestoreWhoseAllowUnencryptedIsNeitherTrueNorFalseIsRefusedByTheJob() {
    JsonObject flag =
        awaitEnd(
            submitted(
                "restore",
                "\"backupId\":\"gs-20261126T061500Z-k3j4h5g6\",\"allowUnencrypted\":\"yes\""));

    assertThat(flag.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(flag.getString("exitStatus"))
        .contains("allowUnencrypted='yes' must be true or false");
    assertThat(surviving()).isEqualTo(KEPT.size());
  }

  @Test
  void anExportForAUserIdThatIsNotOneIsRefusedByTheJobAndByTheApi() {
    JsonObject blank = awaitEnd(submitted("user-export", "\"requestedBy\":\"po\""));
    JsonObject control =
        awaitEnd(submitted("user-export", "\"userId\":\"a\\u0000b\",\"requestedBy\":\"po\""));
    Api.Reply api =
        Api.as(TestTokens.token("it-po", "privacy-officer"))
            .post("/api/privacy/users/a%01b/exports", "");

    assertThat(blank.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(blank.getString("exitStatus")).isEqualTo("REFUSED: userId is required");
    assertThat(control.getString("batchStatus")).isEqualTo("FAILED");
    assertThat(control.getString("exitStatus")).contains("userId='a\\u0000b' is not an identity");
    assertThat(api.status()).as(api.toString()).isEqualTo(400);
  }

  private static void assertRefusedByTheJob(Instant cutoff, String reason) {
    RUNS.awaitNoRun();
    HttpResponse<String> submitted =
        BatchRestApi.post(
            "/jobinstances",
            BatchRestApi.bearer(OPERATOR),
            submission("\"cutoffs\":\"emotional_states=" + cutoff + "\""));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    long execution = latestExecution(instanceId(submitted));

    JsonObject run = RUNS.await(execution);

    assertThat(run.getString("status")).as(run.toString()).isEqualTo("FAILED");
    assertThat(run.getString("exitStatus")).startsWith("REFUSED: ").contains(reason);
    HttpResponse<String> steps =
        BatchRestApi.get(
            "/jobexecutions/" + execution + "/stepexecutions", BatchRestApi.bearer(OPERATOR));
    assertThat(steps.statusCode()).as(steps.body()).isEqualTo(200);
    assertThat(array(steps.body())).as("the purge step never ran").isEmpty();
    assertThat(surviving()).isEqualTo(KEPT.size());
  }

  private static String submission(String parameters) {
    return submission("retention-purge", parameters);
  }

  private static String submission(String job, String parameters) {
    return "{\"applicationName\":\"guardian-store\",\"moduleName\":\"guardian-store.war\","
        + "\"jobXMLName\":\""
        + job
        + "\",\"jobParameters\":{"
        + parameters
        + "}}";
  }

  /** Submits the job as an operator; returns its instance id. */
  private static long submitted(String job, String parameters) {
    HttpResponse<String> submitted =
        BatchRestApi.post(
            "/jobinstances", BatchRestApi.bearer(OPERATOR), submission(job, parameters));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    return instanceId(submitted);
  }

  /** The instance's latest execution as the REST API shows it, once it has ended. */
  private static JsonObject awaitEnd(long instanceId) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> executions =
          BatchRestApi.get(
              "/jobinstances/" + instanceId + "/jobexecutions", BatchRestApi.bearer(OPERATOR));
      JsonArray found = array(executions.body());
      if (!found.isEmpty()
          && PurgeRuns.ENDED.contains(found.getJsonObject(0).getString("batchStatus"))) {
        return found.getJsonObject(0);
      }
      sleep();
    }
    throw new AssertionError("job instance " + instanceId + " did not end");
  }

  private static long instanceId(HttpResponse<String> submitted) {
    try (var reader = Json.createReader(new StringReader(submitted.body()))) {
      return reader.readObject().getJsonNumber("instanceId").longValue();
    }
  }

  /** The instance's latest execution, once the runtime has created it. */
  private static long latestExecution(long instanceId) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> executions =
          BatchRestApi.get(
              "/jobinstances/" + instanceId + "/jobexecutions", BatchRestApi.bearer(OPERATOR));
      JsonArray found = array(executions.body());
      if (executions.statusCode() == 200 && !found.isEmpty()) {
        return found.getJsonObject(0).getJsonNumber("executionId").longValue();
      }
      sleep();
    }
    throw new AssertionError("job instance " + instanceId + " has no execution");
  }

  /** The id of the newest job instance of any job (the API lists the newest first), or 0. */
  private static long newestInstance() {
    HttpResponse<String> listed = BatchRestApi.get("/jobinstances", BatchRestApi.bearer(OPERATOR));
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    JsonArray instances = array(listed.body());
    return instances.isEmpty()
        ? 0
        : instances.getJsonObject(0).getJsonNumber("instanceId").longValue();
  }

  private static long surviving() {
    return ((Number)
            Database.single("SELECT count(*) FROM emotional_states WHERE user_id = ?", OWNER))
        .longValue();
  }

  private static JsonArray array(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readArray();
    }
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
