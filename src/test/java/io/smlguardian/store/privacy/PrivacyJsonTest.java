package io.smlguardian.store.privacy;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.ViewJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The privacy views as JSON-B writes them: the JSON the API answered (and the audit trail kept)
 * when they were written by hand, character for character.
 */
class PrivacyJsonTest {

  private static final Instant T1 = Instant.parse("2026-11-26T06:15:00.123456Z");
  private static final UUID ID = UUID.fromString("6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10");

  @Test
  void anErasureReceiptReadsTheSameInTheAnswerAndInTheAuditTrail() {
    Map<String, Long> erased = new LinkedHashMap<>();
    erased.put("memories", 3L);
    erased.put("sessions", 0L);
    ErasureReceipt receipt =
        ErasureReceipt.of(
            ID, "user-1", "dpo", T1, erased, Map.of("access_logs", "legal obligation"), 2);
    String expected =
        "{\"receiptId\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"userId\":\"user-1\","
            + "\"erasedBy\":\"dpo\",\"erasedAt\":\"2026-11-26T06:15:00.123456Z\","
            + "\"erased\":{\"memories\":3,\"sessions\":0},\"total\":3,"
            + "\"exempt\":{\"access_logs\":\"legal obligation\"},\"keysDestroyed\":2}";
    assertThat(toJson(receipt)).isEqualTo(expected);
    assertThat(ViewJson.toJson(receipt)).isEqualTo(expected);
  }

  @Test
  void anExportLeavesOutWhatIsNotKnownYet() {
    assertThat(
            toJson(new PrivacyResource.ExportView(ID, "user-1", T1, "STARTING", null, null, null)))
        .isEqualTo(
            "{\"exportId\":\"6a0c9a4e-3f0b-4c55-9d2a-1f1f4b7c2e10\",\"userId\":\"user-1\","
                + "\"requestedAt\":\"2026-11-26T06:15:00.123456Z\",\"status\":\"STARTING\"}");
    assertThat(
            toJson(
                new PrivacyResource.ExportView(
                    ID, "user-1", T1, "COMPLETED", 12L, "COMPLETED", "/api/privacy/exports/x")))
        .endsWith(
            "\"status\":\"COMPLETED\",\"executionId\":12,\"exitStatus\":\"COMPLETED\","
                + "\"file\":\"/api/privacy/exports/x\"}");
  }

  @Test
  void aLegalHold() {
    assertThat(toJson(new LegalHoldService.View("user-1", "litigation", "dpo", T1)))
        .isEqualTo(
            "{\"userId\":\"user-1\",\"reason\":\"litigation\",\"placedBy\":\"dpo\","
                + "\"placedAt\":\"2026-11-26T06:15:00.123456Z\"}");
  }
}
