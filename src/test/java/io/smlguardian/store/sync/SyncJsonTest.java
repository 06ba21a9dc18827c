package io.smlguardian.store.sync;

import static io.smlguardian.store.testsupport.ServerJsonb.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sync and ingest answers as JSON-B writes them: the JSON the API answered when they were
 * written by hand, character for character (the seed's names isSynced and syncLatency included).
 */
class SyncJsonTest {

  private static final IngestJournal.Stats JOURNAL =
      new IngestJournal.Stats(4096, 12, 3, 512, 7, 99);
  private static final String JOURNAL_JSON =
      "\"journal\":{\"bytes\":4096,\"records\":12,\"pendingBytes\":512,\"forces\":7}}";

  @Test
  void beforeTheFirstSyncItsTimesLatencyAndErrorAreNull() {
    IngestSync.Status status =
        new IngestSync.Status(false, 3, null, null, null, true, null, 0, JOURNAL);
    assertThat(toJson(status))
        .isEqualTo(
            "{\"isSynced\":false,\"pendingWrites\":3,\"lastSyncTime\":null,"
                + "\"nextSyncTime\":null,\"syncLatency\":null,\"replayed\":true,"
                + "\"lastError\":null,\"deadLetters\":0,"
                + JOURNAL_JSON);
  }

  @Test
  void aManualSyncAnswersWhatItDidAndTheStatusAfter() {
    IngestSync.Status status =
        new IngestSync.Status(
            true,
            0,
            Instant.parse("2026-11-26T06:15:00.123Z"),
            Instant.parse("2026-11-26T06:15:05Z"),
            42L,
            false,
            "store down",
            1,
            JOURNAL);
    assertThat(toJson(new SyncResource.SyncRun(10, 6, 2, 1, 1, 35, status)))
        .isEqualTo(
            "{\"flushed\":10,\"inserted\":6,\"alreadyStored\":2,\"erased\":1,"
                + "\"deadLettered\":1,\"millis\":35,"
                + "\"status\":{\"isSynced\":true,\"pendingWrites\":0,"
                + "\"lastSyncTime\":\"2026-11-26T06:15:00.123Z\","
                + "\"nextSyncTime\":\"2026-11-26T06:15:05Z\",\"syncLatency\":42,"
                + "\"replayed\":false,\"lastError\":\"store down\",\"deadLetters\":1,"
                + JOURNAL_JSON
                + "}");
  }

  @Test
  void anIngestAnswersTheIdsInRequestOrder() {
    UUID first = UUID.fromString("00000000-0000-4000-8000-000000000002");
    UUID second = UUID.fromString("00000000-0000-4000-8000-000000000001");
    assertThat(toJson(new IngestResource.Accepted(2, List.of(first, second))))
        .isEqualTo(
            "{\"accepted\":2,\"ids\":[\"00000000-0000-4000-8000-000000000002\","
                + "\"00000000-0000-4000-8000-000000000001\"]}");
  }

  @Test
  void aFlushReceipt() {
    assertThat(
            io.smlguardian.store.collection.ViewJson.toJson(
                new IngestSync.FlushReceipt(10, 6, 2, 1, 1, 35)))
        .isEqualTo(
            "{\"records\":10,\"inserted\":6,\"alreadyStored\":2,\"erased\":1,"
                + "\"deadLettered\":1,\"millis\":35}");
  }

  @Test
  void aDeadLetterShowsWhatTheRecordIsAndWhyItWasRefusedButNotItsFields() {
    UUID id = UUID.fromString("00000000-0000-4000-8000-000000000003");
    assertThat(
            toJson(
                new IngestSync.DeadLetterView(
                    id,
                    "interactions",
                    "u1",
                    Instant.parse("2026-11-26T06:15:00Z"),
                    Instant.parse("2026-11-26T06:15:01.5Z"),
                    "ERROR: new row violates check constraint")))
        .isEqualTo(
            "{\"id\":\"00000000-0000-4000-8000-000000000003\",\"collection\":\"interactions\","
                + "\"owner\":\"u1\",\"journaledAt\":\"2026-11-26T06:15:00Z\","
                + "\"refusedAt\":\"2026-11-26T06:15:01.500Z\","
                + "\"reason\":\"ERROR: new row violates check constraint\"}");
  }
}
