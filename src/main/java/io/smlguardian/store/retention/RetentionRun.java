package io.smlguardian.store.retention;

import io.smlguardian.store.retention.batch.CollectionPurge;
import io.smlguardian.store.retention.batch.PurgeTotals;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run (job execution) of the retention job, as operators see it: what is not known yet (exit
 * status, who started it, as of when, start, end) is left out of its JSON.
 *
 * @param executionId the run's id: restarting it yields a new run of the same instance
 * @param instanceId the job instance: a run and its restarts
 * @param status STARTING, STARTED, STOPPING, STOPPED, FAILED, COMPLETED or ABANDONED
 * @param exitStatus the job's summary, once it ended
 * @param startedBy who started it: an operator or the scheduler
 * @param start null until it started
 * @param end null until it ended
 * @param purged purged in all collections since the instance's first run (restarts included)
 * @param purgedThisRun purged in all collections by this run
 * @param longestStatementMillis the slowest single read or delete of any collection
 * @param collections what it did per collection, by name; empty before the first chunk
 */
@JsonbPropertyOrder({
  "executionId",
  "instanceId",
  "status",
  "dryRun",
  "exitStatus",
  "startedBy",
  "asOf",
  "start",
  "end",
  "purged",
  "purgedThisRun",
  "longestStatementMillis",
  "collections"
})
public record RetentionRun(
    long executionId,
    long instanceId,
    String status,
    boolean dryRun,
    String exitStatus,
    String startedBy,
    String asOf,
    Instant start,
    Instant end,
    long purged,
    long purgedThisRun,
    BigDecimal longestStatementMillis,
    Map<String, Purge> collections) {

  /**
   * What a run did in one collection (see {@link CollectionPurge}).
   *
   * @param longestStatementMillis rounded to microseconds
   */
  @JsonbPropertyOrder({
    "cutoff",
    "purged",
    "purgedThisRun",
    "longestStatementMillis",
    "durationMillis",
    "statementMillis"
  })
  public record Purge(
      String cutoff,
      long purged,
      long purgedThisRun,
      BigDecimal longestStatementMillis,
      long durationMillis,
      long statementMillis) {

    static Purge of(CollectionPurge purge) {
      return new Purge(
          purge.cutoff(),
          purge.purged(),
          purge.purgedThisRun(),
          millis(purge.longestStatementMillis()),
          purge.durationMillis(),
          purge.statementMillis());
    }
  }

  /** The run with its totals, null before the first chunk. */
  static RetentionRun of(
      long executionId,
      long instanceId,
      String status,
      String exitStatus,
      String startedBy,
      boolean dryRun,
      String asOf,
      Instant start,
      Instant end,
      PurgeTotals totals) {
    PurgeTotals known = totals == null ? new PurgeTotals() : totals;
    Map<String, Purge> collections = new TreeMap<>(); // by name, as the totals keep them
    known.collections().forEach((name, purge) -> collections.put(name, Purge.of(purge)));
    return new RetentionRun(
        executionId,
        instanceId,
        status,
        dryRun,
        exitStatus,
        startedBy,
        asOf,
        start,
        end,
        known.purged(),
        known.purgedThisRun(),
        millis(known.longestStatementMillis()),
        collections);
  }

  public boolean running() {
    return switch (status) {
      case "STARTING", "STARTED", "STOPPING" -> true;
      default -> false;
    };
  }

  /**
   * Milliseconds rounded to microseconds, as a decimal: the text JSON-P wrote for the double (e.g.
   * {@code 0.00010}, where JSON-B would write {@code 1.0E-4}).
   */
  private static BigDecimal millis(double millis) {
    return BigDecimal.valueOf(Math.round(millis * 1000) / 1000.0);
  }
}
