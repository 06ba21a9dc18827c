package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The audit trail is tamper-evident: each user's entries form a hash chain that verifies, and that
 * reports the first broken link after a row is altered or removed directly in the database.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class AuditChainIT {

  private static final Api.Client AUDITOR = Api.as(TestTokens.token("it-chain-auditor", "auditor"));

  /** A user with a few audited accesses: inserts, a read, a query. */
  private static String userWithHistory() {
    String user = "chain-" + UUID.randomUUID();
    String id =
        Api.post("/api/collections/memories", Samples.record("memories", user))
            .object()
            .getString("id");
    Api.post("/api/collections/sessions", Samples.record("sessions", user));
    Api.get("/api/collections/memories/" + id);
    Api.get("/api/collections/memories?userId=eq." + user);
    return user;
  }

  private static JsonObject verification(String user) {
    Api.Reply reply = AUDITOR.get("/api/audit/chains/" + user + "/verification");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  @Test
  void anUntouchedChainVerifies() {
    String user = userWithHistory();

    JsonObject result = verification(user);

    assertThat(result.getBoolean("valid")).isTrue();
    assertThat(result.getInt("entries")).isEqualTo(4);
    assertThat(
            Database.single(
                "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM access_logs WHERE user_id = ?",
                user))
        .isEqualTo("1,2,3,4");
  }

  @Test
  void anEntryAlteredInTheDatabaseIsFound() {
    String user = userWithHistory();

    Database.single(
        "UPDATE access_logs SET reason = 'nothing to see' WHERE user_id = ? AND seq = 2 RETURNING 1",
        user);

    JsonObject broken = verification(user).getJsonObject("firstBrokenLink");
    assertThat(broken.getInt("seq")).isEqualTo(2);
    assertThat(broken.getString("problem")).contains("altered");
  }

  @Test
  void anEntryRemovedFromTheMiddleIsFound() {
    String user = userWithHistory();

    Database.single("DELETE FROM access_logs WHERE user_id = ? AND seq = 3 RETURNING 1", user);

    JsonObject result = verification(user);
    assertThat(result.getBoolean("valid")).isFalse();
    assertThat(result.getJsonObject("firstBrokenLink").getInt("seq")).isEqualTo(3);
    assertThat(result.getJsonObject("firstBrokenLink").getString("problem")).contains("missing");
  }

  @Test
  void entriesRemovedFromTheEndAreFound() {
    String user = userWithHistory();

    Database.single("DELETE FROM access_logs WHERE user_id = ? AND seq = 4 RETURNING 1", user);

    JsonObject broken = verification(user).getJsonObject("firstBrokenLink");
    assertThat(broken.getInt("seq")).isEqualTo(4);
    assertThat(broken.getString("problem")).contains("removed from its end");
  }

  @Test
  void concurrentAccessesToOneUserStillFormOneUnbrokenChain() {
    String user = "busy-" + UUID.randomUUID();

    List<CompletableFuture<Api.Reply>> writers =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () ->
                            Api.post(
                                "/api/collections/memories", Samples.record("memories", user))))
            .toList();
    writers.forEach(w -> assertThat(w.join().status()).isEqualTo(201));

    JsonObject result = verification(user);
    assertThat(result.getBoolean("valid")).as(result.toString()).isTrue();
    assertThat(result.getInt("entries")).isEqualTo(12);
  }

  @Test
  void onlyAuditorsVerify() {
    assertThat(Api.get("/api/audit/chains/anyone/verification").status()).isEqualTo(403);
  }
}
