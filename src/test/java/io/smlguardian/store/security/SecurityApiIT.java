package io.smlguardian.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Api.Client;
import io.smlguardian.store.testsupport.Api.Reply;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import io.smlguardian.store.testsupport.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Authentication and authorization on the running server: which role reaches which endpoint family,
 * that a user can never touch another user's records by any route, that bad tokens are refused, and
 * that every refusal is problem+json and lands in the audit trail.
 */
class SecurityApiIT {

  private static final String COLLECTIONS = "/api/collections";
  private static final Client AUDITOR = Api.as(TestTokens.token("it-auditor", "auditor"));

  private static Client as(String subject, String role) {
    return Api.as(TestTokens.token(subject, role));
  }

  /** Records of the audit trail whose principal is the subject. */
  private static int auditEntries(String principal) {
    return AUDITOR
        .get(
            COLLECTIONS
                + "/access_logs/count?principal=eq."
                + Api.q(principal)
                + "&success=is.false")
        .object()
        .getInt("count");
  }

  private static void assertRefused(Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.object().getInt("status")).isEqualTo(status);
  }

  /**
   * A refusal of another user's record is a 404 with the same body as for a missing id, the id
   * alone differing.
   */
  private static void assertLikeMissing(Reply others, Reply missing, String othersId) {
    assertRefused(others, 404);
    assertRefused(missing, 404);
    JsonObject shown = others.object();
    JsonObject absent = missing.object();
    assertThat(shown.keySet()).isEqualTo(absent.keySet());
    assertThat(shown.getString("title")).isEqualTo(absent.getString("title"));
    String missingId = absent.getString("detail").split(" ")[2];
    assertThat(shown.getString("detail"))
        .isEqualTo(absent.getString("detail").replace(missingId, othersId));
    assertThat(others.header("Content-Type")).isEqualTo(missing.header("Content-Type"));
  }

  /** Each endpoint family with a request that is valid for a caller allowed to make it. */
  private static Map<String, Function<Client, Reply>> families(String subject) {
    return Map.of(
        "catalog", c -> c.get(COLLECTIONS),
        "query collection", c -> c.get(COLLECTIONS + "/memories?userId=eq." + subject),
        "read record", c -> c.get(COLLECTIONS + "/memories/" + UUID.randomUUID()),
        "query access logs", c -> c.get(COLLECTIONS + "/access_logs?userId=eq." + subject),
        "insert", c -> c.post(COLLECTIONS + "/memories", Samples.record("memories", subject)),
        "erase", c -> c.delete("/api/privacy/users/" + subject + "-other", null),
        "atomic",
            c ->
                c.post(
                    "/api/atomic",
                    Json.createObjectBuilder()
                        .add(
                            "operations",
                            Json.createArrayBuilder()
                                .add(
                                    Json.createObjectBuilder()
                                        .add("op", "insert")
                                        .add("collection", "sessions")
                                        .add("record", Samples.record("sessions", subject))))
                        .build()));
  }

  /** The matrix as designed: true where the role may use the family. */
  private static final Map<String, List<String>> ALLOWED =
      Map.of(
          "catalog", List.of("user", "service", "auditor"),
          "query collection", List.of("user", "service"),
          "read record", List.of("user", "service"),
          "query access logs", List.of("user", "service", "auditor"),
          "insert", List.of("user", "service"),
          "atomic", List.of("user", "service"),
          "erase", List.of("privacy-officer"));

  @Test
  void everyRoleAgainstEveryEndpointFamily() {
    for (String role : List.of("user", "service", "privacy-officer", "auditor", "operator")) {
      String subject = role + "-" + UUID.randomUUID();
      Client client = as(subject, role);
      int refusals = 0;
      for (var family : families(subject).entrySet()) {
        Reply reply = family.getValue().apply(client);
        boolean allowed = ALLOWED.get(family.getKey()).contains(role);
        if (allowed) {
          assertThat(reply.status())
              .as(role + " on " + family.getKey() + ": " + reply)
              .isIn(200, 201, 404); // 404: the random record id of "read record"
          if (reply.status() == 404) {
            refusals++; // a failed access is recorded as well
          }
        } else {
          assertRefused(reply, 403);
          refusals++;
        }
      }
      assertThat(auditEntries(subject))
          .as("refused and failed accesses of " + role + " in the audit trail")
          .isEqualTo(refusals);
    }
  }

  @Test
  void withoutAValidTokenEveryFamilyAnswers401() {
    for (var family : families("nobody").entrySet()) {
      assertRefused(family.getValue().apply(Api.anonymous()), 401);
    }
  }

  /**
   * The tarpit (UNAUTHENTICATED_DELAY_MS, 100 ms on the test servers as by default) holds each
   * request without a token, suspended, before the API answers it: many held at once are each
   * answered for themselves (a read refused 401 as problem+json, none before the delay; a URL over
   * the API's bound 414; a path the API does not serve 404). Dispatched again without naming its
   * path, a held request was answered as another one held before it (Liberty's async dispatch took
   * another request's path); that the wait holds no thread is UnauthenticatedTarpitTest's, and what
   * it spares the callers with tokens, the flood benchmark's.
   */
  @Test
  void requestsHeldAtOnceWithoutATokenAreEachAnsweredForThemselvesAfterTheDelay() throws Exception {
    Map<String, Integer> statusOfKind =
        Map.of(
            "read", 401,
            "long URL", 414,
            "no such path", 404);
    ExecutorService threads = Executors.newFixedThreadPool(48);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        for (String kind : statusOfKind.keySet()) {
          String path =
              switch (kind) {
                case "read" -> COLLECTIONS + "/memories/" + UUID.randomUUID();
                case "long URL" -> COLLECTIONS + "/memories?userId=" + "a".repeat(9_000);
                default -> "/api/nothing-" + UUID.randomUUID();
              };
          outcomes.add(
              threads.submit(
                  () -> {
                    Instant sent = Instant.now();
                    Reply reply = Api.anonymous().get(path);
                    Duration waited = Duration.between(sent, Instant.now());
                    assertRefused(reply, statusOfKind.get(kind));
                    if (kind.equals("read")) {
                      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
                      assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(100));
                    }
                    return kind;
                  }));
        }
      }
      for (Future<String> outcome : outcomes) {
        outcome.get(60, TimeUnit.SECONDS); // rethrows a failed assertion
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void healthAndOpenApiNeedNoToken() {
    assertThat(Api.anonymous().get(Api.SERVER_URL + "/health/ready").status()).isEqualTo(200);
    assertThat(Api.anonymous().get(Api.SERVER_URL + "/openapi").status()).isEqualTo(200);
  }

  @Test
  void expiredWronglySignedWrongIssuerAndWrongAudienceTokensAreRefused() throws Exception {
    Path otherKeys = Files.createTempDirectory("other-keys");
    Tokens.writeKeyPair(otherKeys);
    Instant now = Instant.now();
    List<String> service = List.of("service");
    Map<String, String> tokens =
        Map.of(
            "expired",
                Tokens.mint(
                    TestTokens.key(),
                    Tokens.ISSUER,
                    Tokens.AUDIENCE,
                    "svc",
                    service,
                    now.minus(Duration.ofHours(2)),
                    now.minus(Duration.ofHours(1))),
            "wrongly signed",
                Tokens.mint(
                    Tokens.readPrivateKey(otherKeys),
                    Tokens.ISSUER,
                    Tokens.AUDIENCE,
                    "svc",
                    service,
                    Duration.ofHours(1)),
            "wrong issuer",
                Tokens.mint(
                    TestTokens.key(),
                    "someone-else",
                    Tokens.AUDIENCE,
                    "svc",
                    service,
                    Duration.ofHours(1)),
            "wrong audience",
                Tokens.mint(
                    TestTokens.key(),
                    Tokens.ISSUER,
                    "another-api",
                    "svc",
                    service,
                    Duration.ofHours(1)),
            "malformed", "not.a.token",
            "unsigned",
                "eyJhbGciOiJub25lIn0."
                    + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                            ("{\"iss\":\""
                                    + Tokens.ISSUER
                                    + "\",\"sub\":\"svc\",\"groups\":[\"service\"]}")
                                .getBytes())
                    + ".");
    for (var token : tokens.entrySet()) {
      Reply reply = Api.as(token.getValue()).get(COLLECTIONS + "/memories");
      assertThat(reply.status()).as(token.getKey() + ": " + reply).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }
  }

  @Test
  void aUserNeverReachesAnotherUsersRecords() {
    String alice = "alice-" + UUID.randomUUID();
    String bob = "bob-" + UUID.randomUUID();
    Client asAlice = as(alice, "user");
    JsonObject bobsMemory =
        Api.post(COLLECTIONS + "/memories", Samples.record("memories", bob)).object();
    String bobsId = bobsMemory.getString("id");
    String path = COLLECTIONS + "/memories/" + bobsId;

    // Bob's record is answered exactly as a missing one: nothing tells Alice that the id exists.
    String missingPath = COLLECTIONS + "/memories/" + UUID.randomUUID();
    assertLikeMissing(asAlice.get(path), asAlice.get(missingPath), bobsId);
    assertLikeMissing(
        asAlice.patch(path, Json.createObjectBuilder().add("strength", 0.1).build(), null),
        asAlice.patch(missingPath, Json.createObjectBuilder().add("strength", 0.1).build(), null),
        bobsId);
    assertLikeMissing(asAlice.delete(path, null), asAlice.delete(missingPath, null), bobsId);
    // A new record for Bob reveals nothing that exists: refused by role.
    assertRefused(asAlice.post(COLLECTIONS + "/memories", Samples.record("memories", bob)), 403);
    assertThat(
            asAlice.get(COLLECTIONS + "/memories?userId=eq." + bob).object().getJsonArray("items"))
        .isEmpty();
    assertThat(
            asAlice.get(COLLECTIONS + "/memories?id=eq." + bobsId).object().getJsonArray("items"))
        .isEmpty();
    assertThat(
            asAlice.get(COLLECTIONS + "/memories/count?userId=eq." + bob).object().getInt("count"))
        .isZero();
    assertRefused(asAlice.get(COLLECTIONS + "/metrics"), 403);

    // Alice's own insert first, then the delete of Bob's record: refused, and nothing written.
    // (On mongodb, which refuses several writes in one request, the delete alone.)
    var operations = Json.createArrayBuilder();
    if (!Stored.BACKEND.equals("mongodb")) {
      operations.add(
          Json.createObjectBuilder()
              .add("op", "insert")
              .add("collection", "memories")
              .add("record", Samples.record("memories", alice)));
    }
    operations.add(
        Json.createObjectBuilder()
            .add("op", "delete")
            .add("collection", "memories")
            .add("id", bobsId));
    JsonObject request = Json.createObjectBuilder().add("operations", operations).build();
    Reply atomic = asAlice.post("/api/atomic", request);
    assertRefused(atomic, 404);
    assertThat(atomic.object().getInt("operationIndex"))
        .isEqualTo(request.getJsonArray("operations").size() - 1);

    assertThat(Api.get(path).object()).isEqualTo(bobsMemory);
    assertThat(asAlice.get(COLLECTIONS + "/memories/count").object().getInt("count")).isZero();
    // Her 6 accesses to Bob's record and her 3 to a missing one, each refused and recorded.
    assertThat(auditEntries(alice)).isEqualTo(9);
    var entries =
        AUDITOR
            .get(COLLECTIONS + "/access_logs?principal=eq." + alice + "&userId=eq." + bob)
            .object();
    assertThat(entries.getJsonArray("items")).hasSize(5); // the refusals that named bob's record
  }

  @Test
  void aUserWorksFreelyWithTheirOwnRecords() {
    String carol = "carol-" + UUID.randomUUID();
    Client asCarol = as(carol, "user");

    Reply created = asCarol.post(COLLECTIONS + "/memories", Samples.record("memories", carol));
    assertThat(created.status()).isEqualTo(201);
    String path = COLLECTIONS + "/memories/" + created.object().getString("id");
    assertThat(asCarol.get(path).status()).isEqualTo(200);
    assertThat(
            asCarol
                .patch(path, Json.createObjectBuilder().add("strength", 0.2).build(), "\"1\"")
                .status())
        .isEqualTo(200);
    assertThat(asCarol.get(COLLECTIONS + "/memories").object().getJsonArray("items")).hasSize(1);
    assertThat(asCarol.delete(path, "\"2\"").status()).isEqualTo(204);
  }
}
