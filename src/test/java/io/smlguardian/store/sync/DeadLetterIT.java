package io.smlguardian.store.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A record that PostgreSQL refuses for good, here by a trigger the test puts on interactions for
 * the users it names, never holds up the flusher: the records around it land, it is set aside as a
 * dead letter (listed, counted in the sync status, audited), and an operator can put it back once
 * the cause is gone, or discard it. The dead letter of an erased user goes with the next flush.
 */
@Tag("postgresql") // the refusal is made with SQL in PostgreSQL
class DeadLetterIT {

  private final String run = "it-dead-" + UUID.randomUUID().toString().substring(0, 8);
  private final String refused = run + "-refused";
  private final String refusedId = UUID.randomUUID().toString();
  private final Api.Client operator = Api.as(TestTokens.token("it-dead-operator", "operator"));
  private final Api.Client auditor = Api.as(TestTokens.token("it-dead-auditor", "auditor"));

  @BeforeEach
  void refuseTheUsersRecords() {
    Database.transaction(
        "CREATE OR REPLACE FUNCTION it_refuse_for_good() RETURNS trigger AS $$ BEGIN"
            + " IF NEW.user_id LIKE 'it-dead-%-refused' THEN"
            + " RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation';"
            + " END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS it_refuse_for_good ON interactions",
        "CREATE TRIGGER it_refuse_for_good BEFORE INSERT ON interactions"
            + " FOR EACH ROW EXECUTE FUNCTION it_refuse_for_good()");
  }

  @AfterEach
  void acceptThemAgain() {
    allowTheRefusedUser();
    for (JsonValue letter : deadLetters()) {
      operator.delete("/api/sync/dead-letters/" + letter.asJsonObject().getString("id"), null);
    }
  }

  @Test
  void aRecordRefusedForGoodIsSetAsideTheRestLandAndAnOperatorPutsItBack() {
    List<String> fine = new ArrayList<>();
    JsonArrayBuilder records = Json.createArrayBuilder();
    for (int i = 0; i < 30; i++) {
      String id = UUID.randomUUID().toString();
      records.add(withId(Samples.record("interactions", run + "-u" + (i % 3)), id));
      fine.add(id);
      if (i == 14) {
        records.add(withId(Samples.record("interactions", refused), refusedId));
      }
    }
    Api.Reply accepted = Api.SERVICE.post("/api/ingest/interactions", records.build());
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);

    // (A scheduled flush may have come first: the sync's own counts are not asserted.)
    Api.Reply sync = operator.post("/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    JsonObject status = sync.object().getJsonObject("status");
    assertThat(status.getInt("pendingWrites")).isZero();
    assertThat(status.getInt("deadLetters")).isEqualTo(1);
    for (String id : fine) {
      assertThat(Api.get("/api/collections/interactions/" + id).status()).as(id).isEqualTo(200);
    }
    assertThat(Api.get("/api/collections/interactions/" + refusedId).status()).isEqualTo(404);

    List<JsonValue> letters = deadLetters();
    assertThat(letters).hasSize(1);
    JsonObject letter = letters.get(0).asJsonObject();
    assertThat(letter.getString("id")).isEqualTo(refusedId);
    assertThat(letter.getString("collection")).isEqualTo("interactions");
    assertThat(letter.getString("owner")).isEqualTo(refused);
    assertThat(letter.getString("reason")).contains("refused by the test");
    assertThat(letter).doesNotContainKey("record"); // its fields are not shown

    // The ingest of the refused record is an access like any other; its refusal is recorded too.
    assertThat(count("operation=eq.ingest&userId=eq." + Api.q(refused))).isEqualTo(1);
    // One entry for the request, naming its four users, however the flush's lanes cut it (the
    // refused user's lane written record by record, the others' at once).
    for (int user = 0; user < 3; user++) {
      assertThat(count("operation=eq.ingest&userId=eq." + Api.q(run + "-u" + user))).isEqualTo(1);
    }
    assertThat(auditedAbout("ingest-dead-letter", refusedId)).isTrue();

    // The flusher is not held up: later ingests land.
    String later = UUID.randomUUID().toString();
    Api.Reply next =
        Api.SERVICE.post(
            "/api/ingest/interactions", withId(Samples.record("interactions", run + "-u0"), later));
    assertThat(next.status()).isEqualTo(202);
    assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);
    assertThat(Api.get("/api/collections/interactions/" + later).status()).isEqualTo(200);

    // Once the cause is gone, the operator puts it back, and it lands once.
    allowTheRefusedUser();
    assertThat(Api.SERVICE.post("/api/sync/dead-letters/" + refusedId + "/retry", "").status())
        .as("the service role lists dead letters but does not decide about them")
        .isEqualTo(403);
    Api.Reply retried = operator.post("/api/sync/dead-letters/" + refusedId + "/retry", "");
    assertThat(retried.status()).as(retried.toString()).isEqualTo(204);
    assertThat(deadLetters()).isEmpty();
    Api.Reply landed = operator.post("/api/sync", "");
    assertThat(landed.object().getJsonObject("status").getInt("deadLetters")).isZero();
    Api.Reply found = Api.get("/api/collections/interactions/" + refusedId);
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    assertThat(found.object().getString("userId")).isEqualTo(refused);
    assertThat(auditedAbout("ingest-dead-letter-retry", refusedId)).isTrue();
    // Still one ingest entry: the record's ingest, written again with it, was not recorded twice.
    assertThat(count("operation=eq.ingest&userId=eq." + Api.q(refused))).isEqualTo(1);
  }

  @Test
  void anOperatorDiscardsADeadLetterAndBadOrUnknownIdsChangeNothing() {
    ingestRefusedRecord();
    assertThat(operator.delete("/api/sync/dead-letters/not-a-uuid", null).status()).isEqualTo(400);
    assertThat(operator.delete("/api/sync/dead-letters/" + UUID.randomUUID(), null).status())
        .isEqualTo(404);
    assertThat(deadLetters()).hasSize(1);

    assertThat(operator.delete("/api/sync/dead-letters/" + refusedId, null).status())
        .isEqualTo(204);
    assertThat(deadLetters()).isEmpty();
    assertThat(auditedAbout("ingest-dead-letter-discard", refusedId)).isTrue();
    assertThat(operator.post("/api/sync/dead-letters/" + refusedId + "/retry", "").status())
        .isEqualTo(404);
  }

  @Test
  void theDeadLetterOfAnErasedUserGoesWithTheNextFlush() {
    ingestRefusedRecord();
    Api.Client officer = Api.as(TestTokens.token("it-dead-officer", "privacy-officer"));
    Api.Reply erased = officer.delete("/api/privacy/users/" + refused, null);
    assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
    assertThat(operator.post("/api/sync", "").status()).isEqualTo(200);
    assertThat(deadLetters()).isEmpty();
  }

  private void ingestRefusedRecord() {
    Api.Reply accepted =
        Api.SERVICE.post(
            "/api/ingest/interactions", withId(Samples.record("interactions", refused), refusedId));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    Api.Reply sync = operator.post("/api/sync", "");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    assertThat(deadLetters()).hasSize(1);
  }

  private List<JsonValue> deadLetters() {
    Api.Reply listed = operator.get("/api/sync/dead-letters");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    return listed.object().getJsonArray("deadLetters");
  }

  private void allowTheRefusedUser() {
    Database.transaction("DROP TRIGGER IF EXISTS it_refuse_for_good ON interactions");
  }

  private int count(String filter) {
    Api.Reply counted = auditor.get("/api/collections/access_logs/count?" + filter);
    assertThat(counted.status()).as(counted.toString()).isEqualTo(200);
    return counted.object().getInt("count");
  }

  /** Whether the ledger holds an entry of this operation whose receipt names the record. */
  private boolean auditedAbout(String operation, String recordId) {
    Api.Reply found =
        auditor.get("/api/collections/access_logs?operation=eq." + Api.q(operation) + "&limit=100");
    assertThat(found.status()).as(found.toString()).isEqualTo(200);
    return found.object().getJsonArray("items").stream()
        .map(JsonValue::asJsonObject)
        .anyMatch(e -> e.getString("reason", "").contains(recordId));
  }

  private static JsonObject withId(JsonObject record, String id) {
    return Json.createObjectBuilder(record).add("id", id).build();
  }
}
