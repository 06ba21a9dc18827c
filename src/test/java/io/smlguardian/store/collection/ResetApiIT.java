package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The seed's reset (clear all collections): it exists on the memory backend when configuration
 * enables it (the build's memory server has MEMORY_RESET_ENABLED=true), and nowhere else: not on
 * PostgreSQL although its server has the same setting, not where it is unset (SQLite, MongoDB).
 */
class ResetApiIT {

  private static final Api.Client OPERATOR =
      Api.as(TestTokens.token("it-reset-operator-" + UUID.randomUUID(), "operator"));
  private static final Api.Client AUDITOR = Api.as(TestTokens.token("it-reset-auditor", "auditor"));
  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-reset-officer", "privacy-officer"));

  @Test
  void onlyOperatorsMayAskForIt() {
    for (String role : List.of("user", "service", "privacy-officer", "auditor")) {
      Api.Client client = Api.as(TestTokens.token("it-reset-" + role, role));
      assertThat(client.delete("/api/collections", null).status()).as(role).isEqualTo(403);
    }
    assertThat(Api.anonymous().delete("/api/collections", null).status()).isEqualTo(401);
  }

  @Test
  @EnabledIfSystemProperty(named = "guardian.backend", matches = "memory")
  void onMemoryWhenEnabledItEmptiesEveryCollectionAndStartsTheAuditTrailAnew() {
    String user = "reset-" + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      assertThat(
              Api.post("/api/collections/" + collection, Samples.record(collection, user)).status())
          .isEqualTo(201);
    }
    assertThat(
            OFFICER
                .send(
                    "PUT",
                    "/api/privacy/users/" + user + "/hold",
                    "application/json",
                    Json.createObjectBuilder().add("reason", "before reset").build().toString())
                .status())
        .isIn(200, 201);

    Api.Reply reset = OPERATOR.delete("/api/collections", null);

    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    JsonObject cleared = reset.object().getJsonObject("cleared");
    assertThat(cleared.keySet()).containsExactlyInAnyOrderElementsOf(Samples.COLLECTIONS);
    for (String collection : Samples.WRITABLE) {
      assertThat(cleared.getJsonNumber(collection).longValue()).as(collection).isPositive();
      assertThat(Stored.count(collection)).as(collection).isZero();
    }
    assertThat(reset.object().getJsonNumber("total").longValue())
        .isEqualTo(
            cleared.values().stream()
                .mapToLong(v -> ((jakarta.json.JsonNumber) v).longValue())
                .sum());
    // The legal hold went with the records: erasure is no longer refused.
    assertThat(OFFICER.delete("/api/privacy/users/" + user, null).status()).isEqualTo(200);
    // The trail starts anew with who reset the store, and its chain verifies from there.
    assertThat(Stored.count("access_logs", "accessType=eq.reset")).isEqualTo(1);
    JsonObject verification = AUDITOR.get("/api/audit/chains/system/verification").object();
    assertThat(verification.getBoolean("valid")).as(verification.toString()).isTrue();
    assertThat(verification.getInt("entries")).isPositive();
  }

  @Test
  @DisabledIfSystemProperty(
      named = "guardian.backend",
      matches = "memory",
      disabledReason =
          "the build's memory server has the reset enabled: there the reset itself is"
              + " tested, by onMemoryWhenEnabledItEmptiesEveryCollectionAndStartsTheAuditTrailAnew")
  void elsewhereThereIsNoResetAndNothingIsRemoved() {
    String id =
        Api.post("/api/collections/memories", Samples.record("memories", "no-reset"))
            .object()
            .getString("id");

    Api.Reply refused = OPERATOR.delete("/api/collections", null);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.object().getString("detail")).contains("MEMORY_RESET_ENABLED");
    assertThat(Stored.count("memories", "id=eq." + id)).isEqualTo(1);
  }
}
