package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ledger under concurrent writers, on every backend: 16 clients write for 100 users at once,
 * with bulk inserts that span users and atomic requests that cross the same two users in opposite
 * orders (where the backend has transactions). No request deadlocks, times out or fails, and every
 * entry ends up sealed in a ledger that verifies.
 */
class AuditLedgerConcurrencyIT {

  private static final int CLIENTS = 16;
  private static final int REQUESTS_PER_CLIENT = 20;
  private static final boolean ATOMIC = !Stored.BACKEND.equals("mongodb");
  private static final Api.Client AUDITOR =
      Api.as(TestTokens.token("it-ledger-crowd-auditor", "auditor"));

  private static JsonObject insert(String user) {
    return Json.createObjectBuilder()
        .add("op", "insert")
        .add("collection", "interactions")
        .add("record", Samples.record("interactions", user))
        .build();
  }

  @Test
  void sixteenWritersOverAHundredUsersLeaveASealedLedgerThatVerifies() throws Exception {
    String prefix = "crowd-" + UUID.randomUUID() + "-";
    String principal = "it-ledger-crowd-" + UUID.randomUUID();
    Api.Client service = Api.as(TestTokens.token(principal, "service"));
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<List<Api.Reply>>> work = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      work.add(
          clients.submit(
              () -> {
                List<Api.Reply> replies = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                  String a = prefix + ((client * 7 + i) % 100);
                  String b = prefix + ((client * 7 + i + 50) % 100);
                  if (ATOMIC && i % 2 == 0) {
                    // Two users, in one order on even clients and the other on odd ones.
                    JsonArrayBuilder operations =
                        client % 2 == 0
                            ? Json.createArrayBuilder().add(insert(a)).add(insert(b))
                            : Json.createArrayBuilder().add(insert(b)).add(insert(a));
                    replies.add(
                        service.post(
                            "/api/atomic",
                            Json.createObjectBuilder().add("operations", operations).build()));
                  } else if (ATOMIC) {
                    JsonArrayBuilder bulk = Json.createArrayBuilder();
                    for (int u = 0; u < 5; u++) {
                      bulk.add(
                          Samples.record("interactions", prefix + ((client + i * 5 + u) % 100)));
                    }
                    replies.add(service.post("/api/collections/interactions", bulk.build()));
                  } else {
                    replies.add(
                        service.post(
                            "/api/collections/interactions", Samples.record("interactions", a)));
                  }
                  replies.add(service.get("/api/collections/interactions?userId=eq." + Api.q(b)));
                }
                return replies;
              }));
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(3, TimeUnit.MINUTES)).as("no request hangs").isTrue();
    for (Future<List<Api.Reply>> client : work) {
      for (Api.Reply reply : client.get()) {
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
      }
    }

    Api.Reply sealed = AUDITOR.post("/api/audit/ledger/seal", "");
    assertThat(sealed.status()).as(sealed.toString()).isEqualTo(200);
    assertThat(
            Api.get(
                    "/api/collections/access_logs/count?principal=eq."
                        + Api.q(principal)
                        + "&block=is.null")
                .object()
                .getInt("count"))
        .isZero();
    JsonObject ledger = AUDITOR.get("/api/audit/ledger/verification").object();
    assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
    for (int u = 0; u < 100; u += 17) {
      JsonObject user = AUDITOR.get("/api/audit/chains/" + prefix + u + "/verification").object();
      assertThat(user.getBoolean("valid")).as(user.toString()).isTrue();
      assertThat(user.getInt("sealed")).isEqualTo(user.getInt("entries")).isPositive();
    }
  }
}
