package io.smlguardian.store.retention;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.retention.batch.CollectionPurge;
import io.smlguardian.store.retention.batch.PurgeTotals;
import io.smlguardian.store.retention.batch.PurgeTotalsOf;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retention views as JSON-B writes them: the JSON the API answered when they were written by
 * hand, character for character.
 */
class RetentionJsonTest {

  private static final Instant T1 = Instant.parse("2026-11-26T06:15:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-26T06:15:07Z");

  @Test
  void aRunCarriesItsTotalsFlatAndItsCollectionsByName() {
    PurgeTotals totals =
        PurgeTotalsOf.of(
            new CollectionPurge("metrics", "2026-10-26T06:15:00Z", 5, 5, 12.3456789, 30, 12),
            new CollectionPurge(
                "memories", "2025-11-26T06:15:00Z", 120, 20, 0.00012345, 1500, 900));
    RetentionRun run =
        RetentionRun.of(
            5,
            4,
            "COMPLETED",
            "COMPLETED",
            "scheduler",
            false,
            "2026-11-26T06:15:00Z",
            T1,
            T2,
            totals);
    assertThat(toJson(run))
        .isEqualTo(
            "{\"executionId\":5,\"instanceId\":4,\"status\":\"COMPLETED\",\"dryRun\":false,"
                + "\"exitStatus\":\"COMPLETED\",\"startedBy\":\"scheduler\","
                + "\"asOf\":\"2026-11-26T06:15:00Z\",\"start\":\"2026-11-26T06:15:00.123Z\","
                + "\"end\":\"2026-11-26T06:15:07Z\",\"purged\":125,\"purgedThisRun\":25,"
                + "\"longestStatementMillis\":12.346,\"collections\":{\"memories\":{"
                + "\"cutoff\":\"2025-11-26T06:15:00Z\",\"purged\":120,\"purgedThisRun\":20,"
                + "\"longestStatementMillis\":0.0,\"durationMillis\":1500,\"statementMillis\":900},"
                + "\"metrics\":{\"cutoff\":\"2026-10-26T06:15:00Z\",\"purged\":5,"
                + "\"purgedThisRun\":5,\"longestStatementMillis\":12.346,\"durationMillis\":30,"
                + "\"statementMillis\":12}}}");
  }

  @Test
  void aRunBeforeItsFirstChunkHasZeroTotalsAndLeavesOutWhatIsNotKnown() {
    RetentionRun run = RetentionRun.of(6, 6, "STARTING", null, null, true, null, null, null, null);
    assertThat(toJson(new RetentionResource.Runs(List.of(run))))
        .isEqualTo(
            "{\"items\":[{\"executionId\":6,\"instanceId\":6,\"status\":\"STARTING\","
                + "\"dryRun\":true,\"purged\":0,\"purgedThisRun\":0,"
                + "\"longestStatementMillis\":0.0,\"collections\":{}}]}");
  }

  @Test
  void millisecondsAreWrittenAsJsonPWroteThemNotInScientificNotation() {
    PurgeTotals totals =
        PurgeTotalsOf.of(new CollectionPurge("metrics", "c", 1, 1, 12_345_678.9, 1, 0));
    RetentionRun run =
        RetentionRun.of(1, 1, "COMPLETED", null, null, false, null, null, null, totals);
    assertThat(toJson(run)).contains("\"longestStatementMillis\":12345678.9,"); // not 1.23456789E7
  }

  @Test
  void thePoliciesLeaveOutTheNextRunWhenTheScheduleIsOff() {
    RetentionResource.Policies policies =
        new RetentionResource.Policies(
            T2,
            List.of(
                new RetentionResource.Policy(
                    "memories", "createdAt", "P365D", "default", "RETENTION_MEMORIES", T1, 3)),
            new RetentionResource.Schedule(false, "0 3 * * *", 500, null));
    assertThat(toJson(policies))
        .isEqualTo(
            "{\"asOf\":\"2026-11-26T06:15:07Z\",\"policies\":[{\"collection\":\"memories\","
                + "\"timeField\":\"createdAt\",\"period\":\"P365D\",\"source\":\"default\","
                + "\"variable\":\"RETENTION_MEMORIES\",\"cutoff\":\"2026-11-26T06:15:00.123Z\","
                + "\"due\":3}],\"schedule\":{\"enabled\":false,\"cron\":\"0 3 * * *\","
                + "\"chunkSize\":500}}");
    assertThat(
            toJson(
                new RetentionResource.Schedule(true, "0 3 * * *", 500, "2026-11-27T03:00Z[UTC]")))
        .isEqualTo(
            "{\"enabled\":true,\"cron\":\"0 3 * * *\",\"chunkSize\":500,"
                + "\"nextRun\":\"2026-11-27T03:00Z[UTC]\"}");
  }
}
