package io.smlguardian.store.retention.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.ViewJson;
import org.junit.jupiter.api.Test;

/**
 * The retention run's receipt in the audit trail: the JSON it had when it was written by hand,
 * character for character.
 */
class RetentionReceiptTest {

  @Test
  void aReceiptNamesPerCollectionWhatThisRunPurged() {
    PurgeTotals totals =
        PurgeTotalsOf.of(
            new CollectionPurge("metrics", "2026-10-26T06:15:00Z", 5, 5, 12.3, 30, 12),
            new CollectionPurge("memories", "2025-11-26T06:15:00Z", 120, 20, 0.1, 1500, 900));
    assertThat(
            ViewJson.toJson(
                RetentionReceipt.of(
                    5, "COMPLETED", false, 1600, "2026-11-26T06:15:00Z", null, totals)))
        .isEqualTo(
            "{\"executionId\":5,\"status\":\"COMPLETED\",\"dryRun\":false,\"durationMs\":1600,"
                + "\"asOf\":\"2026-11-26T06:15:00Z\",\"purged\":25,\"collections\":{\"memories\":{"
                + "\"cutoff\":\"2025-11-26T06:15:00Z\",\"purged\":20,\"ms\":1500},\"metrics\":{"
                + "\"cutoff\":\"2026-10-26T06:15:00Z\",\"purged\":5,\"ms\":30}}}");
  }

  @Test
  void aRefusedRunSaysWhyAndPurgedNothing() {
    assertThat(
            ViewJson.toJson(
                RetentionReceipt.of(
                    6, "FAILED", true, 3, null, "another run was in progress", new PurgeTotals())))
        .isEqualTo(
            "{\"executionId\":6,\"status\":\"FAILED\",\"dryRun\":true,\"durationMs\":3,"
                + "\"refused\":\"another run was in progress\",\"purged\":0,\"collections\":{}}");
  }
}
