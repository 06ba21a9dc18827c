package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Api.Client;
import io.smlguardian.store.testsupport.Api.Reply;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bad-input suite, on every backend: values that no backend stores alike (NUL, times outside
 * years 0001-9999, deep nesting, numbers beyond a double), malformed or out-of-range paging, the
 * store's reserved identities as owner or token subject, and another user's record. Each is a 4xx
 * problem+json that names what was wrong, carries no class name or stack frame, and changes
 * nothing; and the values at the edges of what is accepted are stored and read back alike.
 */
class BadInputApiIT {

  private static final String MEMORIES = "/api/collections/memories";
  private static final Client AUDITOR = Api.as(TestTokens.token("it-bad-input-auditor", "auditor"));
  private static final Client OPERATOR =
      Api.as(TestTokens.token("it-bad-input-operator", "operator"));

  /** The owner of this run's records, whose count shows that nothing was written. */
  private final String owner = "bad-input-" + UUID.randomUUID();

  /**
   * Checks the refusal: status, problem+json, the field named in its detail or errors, no trace of
   * the server's internals.
   */
  private static JsonObject assertRefused(Reply reply, int status, String field) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).as(reply.toString()).startsWith("application/problem+json");
    JsonObject problem = reply.object();
    assertThat(problem.getInt("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    String said =
        problem.getString("detail", "")
            + " "
            + (problem.containsKey("errors")
                ? problem.getJsonArray("errors").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList()
                : List.of());
    assertThat(said).as(reply.toString()).contains(field);
    assertThat(reply.raw().body())
        .as(reply.toString())
        .doesNotContain("Exception")
        .doesNotContain("at io.")
        .doesNotContain("at java.")
        .doesNotContain(".java:")
        .doesNotContain("io.smlguardian")
        .doesNotContain("org.eclipse")
        .doesNotContain("jakarta.");
    return problem;
  }

  /** Asserts the request is refused as given and that no memory of any owner was written. */
  private void refusedUnchanged(Supplier<Reply> request, int status, String field) {
    long all = Stored.count("memories");
    long mine = Stored.count("memories", "userId=eq." + Api.q(owner));
    assertRefused(request.get(), status, field);
    assertThat(Stored.count("memories", "userId=eq." + Api.q(owner))).isEqualTo(mine);
    assertThat(Stored.count("memories")).isEqualTo(all);
  }

  /** A valid memory of this run's owner, as JSON text with one member replaced by raw JSON. */
  private String memoryWith(String member, String rawJson) {
    JsonObject sample = Samples.record("memories", owner);
    String without = Json.createObjectBuilder(sample).remove(member).build().toString();
    return "{\"" + member + "\":" + rawJson + "," + without.substring(1);
  }

  private Reply postRaw(String body) {
    return Api.send("POST", MEMORIES, "application/json", body);
  }

  private String stored() {
    return Api.post(MEMORIES, Samples.record("memories", owner)).object().getString("id");
  }

  @Test
  void nulInAnyTextIsRefusedWithItsPath() {
    String id = stored();
    refusedUnchanged(() -> postRaw(memoryWith("type", "\"a\\u0000b\"")), 400, "type");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "{\"deep\":{\"list\":[\"ok\",\"x\\u0000\"]}}")),
        400,
        "metadata.deep.list[1]");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "{\"a\\u0000\":1}")), 400, "metadata.a\\u0000");
    // Bulk: the valid first record is not stored either.
    refusedUnchanged(
        () ->
            postRaw(
                "["
                    + Samples.record("memories", owner)
                    + ","
                    + memoryWith("type", "\"\\u0000\"")
                    + "]"),
        400,
        "[1].type");
    refusedUnchanged(
        () ->
            Api.send(
                "POST",
                "/api/atomic",
                "application/json",
                "{\"operations\":[{\"op\":\"insert\",\"collection\":\"memories\",\"record\":"
                    + memoryWith("type", "\"\\u0000\"")
                    + "}]}"),
        400,
        "operations[0].record.type");
    refusedUnchanged(
        () -> Api.send("PATCH", MEMORIES + "/" + id, "application/json", "{\"type\":\"\\u0000\"}"),
        400,
        "type");
    assertThat(Api.get(MEMORIES + "/" + id).object().getString("type"))
        .isEqualTo("success_pattern");
    // Query parameters, decoded: a filter value, and the parameter's name.
    refusedUnchanged(() -> Api.get(MEMORIES + "?type=eq.a%00b"), 400, "type");
    refusedUnchanged(() -> Api.get(MEMORIES + "/count?type=eq.%00"), 400, "type");
    refusedUnchanged(() -> Api.get(MEMORIES + "?ty%00pe=eq.x"), 400, "ty\\u0000pe");
    refusedUnchanged(() -> Api.get(MEMORIES + "/" + id + "?select=type%00"), 400, "select");
  }

  @Test
  void timesOutsideYearsOneToNineThousandNineHundredNinetyNineAreRefused() {
    for (String time :
        List.of(
            "+300000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "0000-06-01T00:00:00Z",
            "-1000000000-01-01T00:00:00Z")) {
      refusedUnchanged(
          () -> postRaw(memoryWith("timestamp", Json.createValue(time).toString())),
          400,
          "timestamp");
      refusedUnchanged(() -> Api.get(MEMORIES + "?timestamp=lt." + Api.q(time)), 400, "timestamp");
    }
  }

  @Test
  void theFirstAndLastInstantsOfTheRangeAreStoredAndReadBackAlike() {
    for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
      Reply created = postRaw(memoryWith("timestamp", Json.createValue(time).toString()));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String id = created.object().getString("id");
      assertThat(Api.get(MEMORIES + "/" + id).object().getString("timestamp")).isEqualTo(time);
      assertThat(Stored.count("memories", "id=eq." + id + "&timestamp=eq." + Api.q(time)))
          .as(time)
          .isEqualTo(1);
      assertThat(Api.delete(MEMORIES + "/" + id, null).status()).isEqualTo(204);
    }
  }

  @Test
  void nestingDeeperThanSixtyFourLevelsIsRefused() {
    // The record is level 1 and metadata level 2: 63 more arrays reach the bound, 64 pass it.
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "[".repeat(64) + "]".repeat(64))), 400, "metadata[0]");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "[".repeat(5_000) + "]".repeat(5_000))),
        400,
        "nests deeper than 64 levels");
    refusedUnchanged(
        () ->
            postRaw(memoryWith("metadata", "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))),
        400,
        "metadata.a.a");

    String deepest = "[".repeat(62) + "{\"x\":1}" + "]".repeat(62);
    Reply created = postRaw(memoryWith("metadata", deepest));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.object().getString("id");
    assertThat(Api.get(MEMORIES + "/" + id).object().get("metadata").toString()).isEqualTo(deepest);
    assertThat(Api.delete(MEMORIES + "/" + id, null).status()).isEqualTo(204);
  }

  @Test
  void numbersBeyondADoubleAreRefused() {
    refusedUnchanged(() -> postRaw(memoryWith("strength", "1e400")), 400, "strength");
    refusedUnchanged(() -> postRaw(memoryWith("strength", "-1e-400")), 400, "strength");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "{\"n\":[1,2e400]}")), 400, "metadata.n[1]");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "{\"n\":1e99999999999}")), 400, "metadata.n");
    refusedUnchanged(
        () -> postRaw(memoryWith("metadata", "{\"n\":1" + "0".repeat(2_000) + "}")),
        400,
        "metadata.n");
    refusedUnchanged(() -> Api.get(MEMORIES + "?strength=gt.1e400"), 400, "strength");

    String extremes = "{\"max\":1.7976931348623157E308,\"min\":4.9E-324,\"neg\":-2.5E-300}";
    Reply created = postRaw(memoryWith("metadata", extremes));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.object().getString("id");
    JsonObject metadata = Api.get(MEMORIES + "/" + id).object().getJsonObject("metadata");
    assertThat(metadata.getJsonNumber("max").doubleValue()).isEqualTo(Double.MAX_VALUE);
    assertThat(metadata.getJsonNumber("min").doubleValue()).isEqualTo(Double.MIN_VALUE);
    assertThat(metadata.getJsonNumber("neg").doubleValue()).isEqualTo(-2.5e-300);
    assertThat(Api.delete(MEMORIES + "/" + id, null).status()).isEqualTo(204);
  }

  @Test
  void pagingParametersAreIntegersInTheirRange() {
    for (String limit : List.of("abc", "-1", "0", "1001", "1.5", "99999999999", "")) {
      refusedUnchanged(() -> Api.get(MEMORIES + "?limit=" + Api.q(limit)), 400, "limit");
    }
    for (String offset : List.of("x", "-1", "1e3", "99999999999", "")) {
      refusedUnchanged(() -> Api.get(MEMORIES + "?offset=" + Api.q(offset)), 400, "offset");
    }
    // Elsewhere in the API, where the runtime used to answer 404 for a non-numeric limit.
    for (String path :
        List.of(
            "/api/retention/runs?limit=abc",
            "/api/retention/runs?limit=0",
            "/api/retention/runs?limit=201",
            "/api/backups/jobs?limit=abc",
            "/api/backups/jobs?limit=-3",
            "/api/jobs?limit=abc")) {
      assertRefused(OPERATOR.get(path), 400, "limit");
    }
    assertRefused(OPERATOR.post("/api/retention/runs?chunkSize=abc", ""), 400, "chunkSize");
    assertRefused(OPERATOR.post("/api/retention/runs?chunkSize=0", ""), 400, "chunkSize");
    assertThat(OPERATOR.get("/api/retention/runs?limit=200").status()).isEqualTo(200);
  }

  @Test
  void aFlagIsTrueOrFalseNeverAQuietFalse() {
    int runs = OPERATOR.get("/api/retention/runs?limit=200").object().getJsonArray("items").size();
    for (String flag : List.of("ture", "yes", "1", "")) {
      assertRefused(OPERATOR.post("/api/retention/runs?dryRun=" + Api.q(flag), ""), 400, "dryRun");
    }
    assertThat(OPERATOR.get("/api/retention/runs?limit=200").object().getJsonArray("items"))
        .as("no purge run started")
        .hasSize(runs);
    String restore = "/api/backups/20260101T000000Z-bad-input/restore";
    assertRefused(OPERATOR.post(restore + "?replace=yes", ""), 400, "replace");
    assertRefused(OPERATOR.post(restore + "?replace=true&force=nope", ""), 400, "force");
  }

  @Test
  void theStoresOwnNamesAreNoSubjectOfAPrivacyRequest() {
    Client officer = Api.as(TestTokens.token("it-bad-input-officer", "privacy-officer"));
    for (String reserved : List.of("system", "unknown", "anonymous", "scheduler", "SYSTEM")) {
      String user = "/api/privacy/users/" + Api.q(reserved);
      assertRefused(officer.delete(user, null), 400, "userId");
      assertRefused(officer.get(user + "/export"), 400, "userId");
      assertRefused(officer.post(user + "/exports", ""), 400, "userId");
      assertRefused(
          officer.send("PUT", user + "/hold", "application/json", "{\"reason\":\"audit\"}"),
          400,
          "userId");
      assertRefused(officer.delete(user + "/hold", null), 400, "userId");
    }
  }

  @Test
  void deepOffsetsAreBoundedAndTheRefusalSaysHowToReadDeeper() {
    assertThat(Api.get(MEMORIES + "?offset=10000&limit=1").status()).isEqualTo(200);
    JsonObject problem = assertRefused(Api.get(MEMORIES + "?offset=10001&limit=1"), 400, "offset");
    assertThat(problem.getString("detail")).contains("10000").contains("after=<its id>");
  }

  @Test
  void aCursorPagesThroughTheDefaultOrderAtAnyDepth() {
    // Two records share an instant: the id orders them, and the cursor must not lose either.
    for (String time :
        List.of(
            "2026-03-04T00:00:00Z",
            "2026-03-02T00:00:00Z",
            "2026-03-02T00:00:00Z",
            "2026-03-03T00:00:00Z",
            "2026-03-01T00:00:00Z")) {
      assertThat(postRaw(memoryWith("timestamp", Json.createValue(time).toString())).status())
          .isEqualTo(201);
    }
    String mine = MEMORIES + "?userId=eq." + Api.q(owner);
    List<String> all = ids(Api.get(mine + "&limit=100"));
    assertThat(all).hasSize(5);

    List<String> paged = new java.util.ArrayList<>();
    List<String> page = ids(Api.get(mine + "&limit=2"));
    while (!page.isEmpty()) {
      paged.addAll(page);
      page = ids(Api.get(mine + "&limit=2&after=" + page.get(page.size() - 1)));
    }
    assertThat(paged).isEqualTo(all);

    // The id of a record the caller may not read is refused as one that does not exist.
    Client stranger = Api.as(TestTokens.token("stranger-" + UUID.randomUUID(), "user"));
    String missing = UUID.randomUUID().toString();
    JsonObject others =
        assertRefused(stranger.get(MEMORIES + "?after=" + all.get(0)), 400, "after");
    JsonObject absent = assertRefused(stranger.get(MEMORIES + "?after=" + missing), 400, "after");
    assertThat(others.getString("detail").replace(all.get(0), "<id>"))
        .isEqualTo(absent.getString("detail").replace(missing, "<id>"));
    assertRefused(Api.get(mine + "&after=42"), 400, "after");
    assertRefused(Api.get(mine + "&after=" + all.get(0) + "&order=strength"), 400, "after");
    assertRefused(Api.get(mine + "&after=" + all.get(0) + "&offset=1"), 400, "after");
  }

  private static List<String> ids(Reply page) {
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    return page.items().stream().map(item -> item.asJsonObject().getString("id")).toList();
  }

  @Test
  void noRecordMayBeOwnedByAReservedIdentity() {
    for (String reserved : List.of("unknown", "system", "anonymous", "scheduler", "System")) {
      long before = Stored.count("memories", "userId=eq." + Api.q(reserved));
      assertRefused(Api.post(MEMORIES, Samples.record("memories", reserved)), 400, "userId");
      assertRefused(
          Api.post("/api/collections/sessions", Samples.record("sessions", reserved)),
          400,
          "userId");
      assertThat(Stored.count("memories", "userId=eq." + Api.q(reserved))).isEqualTo(before);
    }
  }

  @Test
  void aTokenWhoseSubjectIsReservedIsRefusedAndRecorded() {
    String context = Api.BASE_URL.substring(Api.SERVER_URL.length());
    for (String reserved : List.of("unknown", "system", "anonymous", "scheduler", "SYSTEM")) {
      // A path of its own, so that the entry is told apart from every other refusal.
      String path = "/api/collections/access_logs/" + UUID.randomUUID();
      String entry =
          "principal=eq."
              + Api.q(reserved)
              + "&success=is.false&operation=eq."
              + Api.q("GET " + context + path);

      Reply reply = Api.as(TestTokens.token(reserved, "auditor", "service")).get(path);
      JsonObject problem = assertRefused(reply, 401, "subject");
      assertThat(problem.getString("detail")).contains("reserved");
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(
              AUDITOR.get("/api/collections/access_logs/count?" + entry).object().getInt("count"))
          .as("the refusal of " + reserved + " recorded")
          .isEqualTo(1);
    }
  }

  @Test
  void anotherUsersRecordIsAnsweredExactlyAsAMissingOne() {
    String id = stored();
    Client stranger = Api.as(TestTokens.token("stranger-" + UUID.randomUUID(), "user"));
    String missing = MEMORIES + "/" + UUID.randomUUID();
    String others = MEMORIES + "/" + id;
    List<Supplier<Reply[]>> pairs =
        List.of(
            () -> new Reply[] {stranger.get(others), stranger.get(missing)},
            () ->
                new Reply[] {
                  stranger.patch(others, Samples.change("memories"), null),
                  stranger.patch(missing, Samples.change("memories"), null)
                },
            () -> new Reply[] {stranger.delete(others, null), stranger.delete(missing, null)});
    for (Supplier<Reply[]> pair : pairs) {
      long mine = Stored.count("memories", "userId=eq." + Api.q(owner));
      Reply[] replies = pair.get();
      JsonObject shown = assertRefused(replies[0], 404, id);
      JsonObject absent = assertRefused(replies[1], 404, "No record");
      assertThat(shown.keySet()).isEqualTo(absent.keySet());
      assertThat(shown.getString("title")).isEqualTo(absent.getString("title"));
      assertThat(shown.getString("detail").replace(id, "<id>"))
          .isEqualTo(absent.getString("detail").replaceAll("[0-9a-f-]{36}", "<id>"));
      assertThat(Stored.count("memories", "userId=eq." + Api.q(owner))).isEqualTo(mine);
    }
    assertThat(Api.get(others).object().getString("type")).isEqualTo("success_pattern");
  }
}
