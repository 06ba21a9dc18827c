package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.Stored;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Export and erasure on whichever backend the server runs (every backend's test run has this
 * class): the export holds exactly the user's records, erasure leaves none of them outside the
 * audit trail and touches nobody else. Counts go through the API, so no SQL is needed.
 */
class PrivacyConformanceIT {

  private static final Api.Client OFFICER =
      Api.as(TestTokens.token("it-conformance-officer", "privacy-officer"));
  private static final List<String> OWNED =
      Samples.WRITABLE.stream().filter(c -> !c.equals("metrics")).toList();

  @Test
  void exportHoldsExactlyTheUsersRecordsAndErasureRemovesThemButTheAuditTrail() {
    String user = "conf-" + UUID.randomUUID();
    String other = "conf-other-" + UUID.randomUUID();
    for (String collection : OWNED) {
      assertThat(
              Api.post("/api/collections/" + collection, Samples.record(collection, user)).status())
          .isEqualTo(201);
      Api.post("/api/collections/" + collection, Samples.record(collection, other));
    }

    JsonObject export = OFFICER.get("/api/privacy/users/" + user + "/export").object();
    for (String collection : OWNED) {
      var records = export.getJsonObject("collections").getJsonArray(collection);
      assertThat(records).as(collection).hasSize(1);
      assertThat(records.getJsonObject(0).getString("userId")).isEqualTo(user);
    }
    assertThat(
            export
                .getJsonObject("collections")
                .getJsonArray("memories")
                .getJsonObject(0)
                .get("patterns"))
        .isEqualTo(Samples.record("memories", user).get("patterns"));

    Api.Reply erased = OFFICER.delete("/api/privacy/users/" + user, null);
    assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
    assertThat(erased.object().getInt("total")).isEqualTo(OWNED.size());
    for (String collection : OWNED) {
      assertThat(Stored.count(collection, "userId=eq." + user)).as(collection).isZero();
      assertThat(Stored.count(collection, "userId=eq." + other)).as(collection).isEqualTo(1);
    }
    assertThat(Stored.count("access_logs", "userId=eq." + user + "&accessType=eq.erasure"))
        .isEqualTo(1);
    assertThat(
            OFFICER
                .get("/api/privacy/users/" + user + "/export")
                .object()
                .getJsonObject("collections")
                .getJsonArray("memories"))
        .isEqualTo(JsonValue.EMPTY_JSON_ARRAY);
  }
}
