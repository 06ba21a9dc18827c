package io.smlguardian.store.encryption;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.ViewJson;
import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The key views as JSON-B writes them: the JSON the API answered when they were written by hand,
 * character for character.
 */
class KeysJsonTest {

  private static final Instant T1 = Instant.parse("2026-11-26T06:15:00.123Z");
  private static final UUID KEK = UUID.fromString("6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10");

  @Test
  void theStateNamesKeysAndSettingsInOrder() {
    KeysResource.State state =
        new KeysResource.State(
            "m2",
            List.of(new KeysResource.PreviousMasterKey("m1", false)),
            List.of(new KeysResource.KekView(KEK, T1, "m2", true, true)),
            List.of("escrow-1-ab.jsonl"),
            new KeysResource.Settings("/keys", "off", "P30D", "PT1M"));
    assertThat(toJson(state))
        .isEqualTo(
            "{\"masterKeyId\":\"m2\",\"previousMasterKeys\":[{\"id\":\"m1\","
                + "\"wrapsKeyEncryptionKeys\":false}],\"keyEncryptionKeys\":[{"
                + "\"id\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\","
                + "\"createdAt\":\"2026-11-26T06:15:00.123Z\",\"masterKeyId\":\"m2\","
                + "\"usable\":true,\"current\":true}],\"escrows\":[\"escrow-1-ab.jsonl\"],"
                + "\"settings\":{\"keyDirectory\":\"/keys\",\"rotationInterval\":\"off\","
                + "\"retention\":\"P30D\",\"cacheTtl\":\"PT1M\"}}");
  }

  @Test
  void anEscrowSummaryReadsTheSameInTheAnswerAndInTheRotationResult() {
    KeyEscrow.Summary summary = new KeyEscrow.Summary("escrow-1-ab.jsonl", 5, 2, 1);
    String expected = "{\"name\":\"escrow-1-ab.jsonl\",\"keys\":5,\"imported\":2,\"unreadable\":1}";
    assertThat(toJson(summary)).isEqualTo(expected);
    assertThat(ViewJson.toJsonObject(summary).toString()).isEqualTo(expected);
  }

  @Test
  void aRotationLeavesOutWhatIsNotKnownYetAndCarriesItsResultAsItIs() {
    assertThat(toJson(new KeyRotationJobs.Rotation(3, "STARTED", null, T1, null, null)))
        .isEqualTo(
            "{\"executionId\":3,\"status\":\"STARTED\",\"start\":\"2026-11-26T06:15:00.123Z\"}");
    assertThat(
            toJson(
                new KeyRotationJobs.Rotation(
                    3,
                    "COMPLETED",
                    "COMPLETED",
                    T1,
                    T1,
                    Json.createObjectBuilder().add("complete", true).add("keysRead", 4).build())))
        .isEqualTo(
            "{\"executionId\":3,\"status\":\"COMPLETED\",\"exitStatus\":\"COMPLETED\","
                + "\"start\":\"2026-11-26T06:15:00.123Z\",\"end\":\"2026-11-26T06:15:00.123Z\","
                + "\"result\":{\"complete\":true,\"keysRead\":4}}");
  }
}
