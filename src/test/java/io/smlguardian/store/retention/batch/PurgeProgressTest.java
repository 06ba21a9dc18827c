package io.smlguardian.store.retention.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A collection's progress: the statements' time adds up within a run and travels with the
 * checkpoint, and a restarted run counts its own records and time from zero while keeping where the
 * last one stopped and what it purged.
 */
class PurgeProgressTest {

  private static final String CUTOFF = "2026-08-28T00:00:00Z";

  @Test
  void aRunAddsUpItsStatementsAndTheirLongest() {
    PurgeProgress progress = new PurgeProgress("interactions", CUTOFF);
    progress.statement(3_000_000);
    progress.statement(5_000_000);
    progress.purged(10_000);

    CollectionPurge purge = CollectionPurge.of(progress.snapshot());

    assertThat(purge.statementMillis()).isEqualTo(8);
    assertThat(purge.longestStatementMillis()).isEqualTo(5.0);
    assertThat(purge.purgedThisRun()).isEqualTo(10_000); // the JSON: RetentionJsonTest
  }

  @Test
  void aRestartedRunCountsItsOwnRecordsAndTimeFromWhereTheLastStopped() {
    PurgeProgress first = new PurgeProgress("interactions", CUTOFF);
    TimeKey stoppedAt = new TimeKey(Instant.parse("2026-08-01T00:00:00Z"), UUID.randomUUID());
    first.read(new TimeKeyRange(null, stoppedAt));
    first.statement(7_000_000);
    first.purged(10_000);

    PurgeProgress restarted = first.snapshot().resumed();
    restarted.statement(2_000_000);
    restarted.purged(500);

    assertThat(restarted.last()).isEqualTo(stoppedAt);
    assertThat(restarted.purged()).isEqualTo(10_500);
    assertThat(restarted.purgedThisRun()).isEqualTo(500);
    assertThat(restarted.statementNanosThisRun()).isEqualTo(2_000_000);
  }
}
