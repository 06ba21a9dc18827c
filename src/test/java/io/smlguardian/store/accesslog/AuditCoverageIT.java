package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The coverage matrix of the audit trail, on every backend: each endpoint and outcome makes exactly
 * one entry, with the right user, principal, operation and outcome. Each request is made by a
 * principal of its own (a token with a fresh subject), so its entries are exactly those of that
 * principal; a request without a token is found by its path, made unique by a fresh id.
 */
class AuditCoverageIT {

  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-coverage-auditor", "auditor"));
  private static final String CONTEXT = Api.BASE_URL.substring(Api.SERVER_URL.length());

  /** The entries one principal made. */
  private static JsonArray entriesOf(String principal) {
    Api.Reply reply =
        AUDITOR.get("/api/collections/access_logs?principal=eq." + Api.q(principal) + "&limit=50");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.items();
  }

  /**
   * Makes one request as a fresh principal with the role, and answers its one entry after checking
   * the response's status and that the request made exactly one entry.
   */
  private static JsonObject onlyEntryOf(
      String role, int status, Function<Api.Client, Api.Reply> request) {
    String principal = "it-cov-" + role + "-" + UUID.randomUUID();
    Api.Reply reply = request.apply(Api.as(TestTokens.token(principal, role)));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    JsonArray entries = entriesOf(principal);
    assertThat(entries).as(principal).hasSize(1);
    return entries.getJsonObject(0);
  }

  private static String memoryOf(String user) {
    return Api.post("/api/collections/memories", Samples.record("memories", user))
        .object()
        .getString("id");
  }

  private static void assertEntry(
      JsonObject entry, String user, String operation, boolean success) {
    assertThat(entry.getString("userId")).as(entry.toString()).isEqualTo(user);
    assertThat(entry.getString("operation")).as(entry.toString()).isEqualTo(operation);
    assertThat(entry.getBoolean("success")).as(entry.toString()).isEqualTo(success);
  }

  @Test
  void everyReadAndWriteOfARecordMakesOneEntryForItsOwner() {
    String user = "cov-" + UUID.randomUUID();
    String id = memoryOf(user);

    assertEntry(
        onlyEntryOf("service", 200, c -> c.get("/api/collections/memories/" + id)),
        user,
        "read",
        true);
    assertEntry(
        onlyEntryOf(
            "service", 200, c -> c.get("/api/collections/memories?userId=eq." + Api.q(user))),
        user,
        "query",
        true);
    assertEntry(
        onlyEntryOf(
            "service",
            201,
            c -> c.post("/api/collections/memories", Samples.record("memories", user))),
        user,
        "insert",
        true);
    assertEntry(
        onlyEntryOf(
            "service",
            200,
            c -> c.patch("/api/collections/memories/" + id, Samples.change("memories"), null)),
        user,
        "update",
        true);
    assertEntry(
        onlyEntryOf("service", 204, c -> c.delete("/api/collections/memories/" + id, null)),
        user,
        "delete",
        true);
  }

  @Test
  void aCountAndAnEmptyPageAreAccessesToo() {
    String user = "it-cov-user-" + UUID.randomUUID();
    Api.Reply count = Api.as(TestTokens.token(user, "user")).get("/api/collections/memories/count");

    assertThat(count.status()).as(count.toString()).isEqualTo(200);
    JsonArray entries = entriesOf(user);
    assertThat(entries).hasSize(1);
    assertEntry(entries.getJsonObject(0), user, "count", true); // confined to the user's own
    JsonObject page = onlyEntryOf("service", 200, c -> c.get("/api/collections/metrics?limit=1"));
    assertEntry(page, AuditTrail.STORE_OWNER, "query", true);
  }

  @Test
  void everyRefusalAndFailureMakesOneEntry() {
    String owner = "cov-" + UUID.randomUUID();
    String id = memoryOf(owner);
    String missing = UUID.randomUUID().toString();

    // 404: a user reaching for another user's record, answered as a missing one; the entry still
    // names the owner.
    assertEntry(
        onlyEntryOf("user", 404, c -> c.delete("/api/collections/memories/" + id, null)),
        owner,
        "delete",
        false);
    // 403: a role the endpoint does not allow.
    JsonObject forbidden = onlyEntryOf("user", 403, c -> c.get("/api/backups"));
    assertEntry(forbidden, AccessLog.UNKNOWN_USER, "GET " + CONTEXT + "/api/backups", false);
    // 404, 400, 412, 413: whose data is not known; who tried what, and why it failed.
    assertEntry(
        onlyEntryOf("service", 404, c -> c.get("/api/collections/memories/" + missing)),
        AccessLog.UNKNOWN_USER,
        "GET " + CONTEXT + "/api/collections/memories/" + missing,
        false);
    assertThat(
            onlyEntryOf(
                    "service",
                    400,
                    c -> c.send("POST", "/api/collections/memories", "application/json", "{oops"))
                .getString("reason"))
        .startsWith("400: ");
    assertThat(
            onlyEntryOf(
                    "service",
                    412,
                    c ->
                        c.patch(
                            "/api/collections/memories/" + id,
                            Samples.change("memories"),
                            "\"99\""))
                .getString("reason"))
        .startsWith("412: ");
    assertThat(
            onlyEntryOf(
                    "service",
                    413,
                    c ->
                        c.send(
                            "POST",
                            "/api/collections/memories",
                            "application/json",
                            "[" + "1,".repeat(3_000_000) + "1]"))
                .getBoolean("success"))
        .isFalse();
    // 404 on a privacy endpoint for an id that does not exist.
    assertEntry(
        onlyEntryOf("privacy-officer", 404, c -> c.get("/api/privacy/exports/987654321")),
        AccessLog.UNKNOWN_USER,
        "GET " + CONTEXT + "/api/privacy/exports/987654321",
        false);
  }

  @Test
  void aFailedAtomicRequestMakesOneEntryThoughItsFirstWriteHadRecordedOne() {
    String user = "cov-" + UUID.randomUUID();
    JsonObject request =
        Json.createObjectBuilder()
            .add(
                "operations",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("op", "insert")
                            .add("collection", "memories")
                            .add("record", Samples.record("memories", user)))
                    .add(
                        Json.createObjectBuilder()
                            .add("op", "delete")
                            .add("collection", "memories")
                            .add("id", UUID.randomUUID().toString())))
            .build();
    String principal = "it-cov-atomic-" + UUID.randomUUID();

    Api.Reply reply = Api.as(TestTokens.token(principal, "service")).post("/api/atomic", request);

    // 404 for the missing record where the insert rolled back with it; 501 on mongodb, which
    // refuses several writes before any (no transactions).
    assertThat(reply.status()).as(reply.toString()).isIn(404, 501);
    JsonArray entries = entriesOf(principal);
    assertThat(entries).hasSize(1);
    assertThat(entries.getJsonObject(0).getBoolean("success")).isFalse();
    assertThat(entries.getJsonObject(0).getString("operation"))
        .isEqualTo("POST " + CONTEXT + "/api/atomic");
  }

  @Test
  void aRequestWithoutAValidTokenMakesOneEntry() {
    String path = "/api/collections/memories/" + UUID.randomUUID();

    assertThat(Api.anonymous().get(path).status()).isEqualTo(401);

    Api.Reply entries =
        AUDITOR.get("/api/collections/access_logs?operation=eq." + Api.q("GET " + CONTEXT + path));
    assertThat(entries.items()).hasSize(1);
    assertThat(entries.items().getJsonObject(0).getString("principal")).isEqualTo("anonymous");
    assertThat(entries.items().getJsonObject(0).getBoolean("success")).isFalse();
  }

  @Test
  void holdsErasuresAndExportsAreRecordedWithTheirUser() {
    String user = "cov-" + UUID.randomUUID();
    memoryOf(user);

    assertEntry(
        onlyEntryOf(
            "privacy-officer",
            200,
            c ->
                c.send(
                    "PUT",
                    "/api/privacy/users/" + user + "/hold",
                    "application/json",
                    "{\"reason\":\"case 12\"}")),
        user,
        "hold placed",
        true);
    assertEntry(
        onlyEntryOf("privacy-officer", 409, c -> c.delete("/api/privacy/users/" + user, null)),
        user,
        "erase",
        false);
    assertEntry(
        onlyEntryOf(
            "privacy-officer", 204, c -> c.delete("/api/privacy/users/" + user + "/hold", null)),
        user,
        "hold released",
        true);
    assertEntry(
        onlyEntryOf("privacy-officer", 200, c -> c.delete("/api/privacy/users/" + user, null)),
        user,
        "erase",
        true);
    String principal = "it-cov-export-" + UUID.randomUUID();
    Api.Reply started =
        Api.as(TestTokens.token(principal, "privacy-officer"))
            .post("/api/privacy/users/" + user + "/exports", "");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    // Recorded when it starts (the job's receipt, when it ends, is a second entry).
    assertThat(entriesOf(principal).stream().map(JsonValue::asJsonObject))
        .anySatisfy(
            entry -> {
              assertThat(entry.getString("userId")).isEqualTo(user);
              assertThat(entry.getString("operation"))
                  .matches("export job [0-9a-f-]{36} started \\(execution [0-9]+\\)");
            });
  }

  @Test
  void operationsRequestsAndTheAuditorsOwnWorkAreRecorded() {
    assertEntry(
        onlyEntryOf("operator", 200, c -> c.get("/api/backups")),
        AuditTrail.STORE_OWNER,
        "GET " + CONTEXT + "/api/backups",
        true);
    String user = "cov-" + UUID.randomUUID();
    assertEntry(
        onlyEntryOf("auditor", 200, c -> c.get("/api/audit/chains/" + user + "/verification")),
        user,
        "verify",
        true);
    assertEntry(
        onlyEntryOf("auditor", 200, c -> c.get("/api/audit/ledger/verification")),
        AuditTrail.STORE_OWNER,
        "verify",
        true);
  }
}
