package io.smlguardian.store.retention.batch;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * A retention run's receipt in the audit trail, compact (the entry's reason holds 1000 characters):
 * per collection the cutoff, what this run purged and how long it took. What does not apply (no
 * as-of time, not refused) is left out.
 *
 * @param purged purged by this run in all collections
 */
@JsonbPropertyOrder({
  "executionId",
  "status",
  "dryRun",
  "durationMs",
  "asOf",
  "refused",
  "purged",
  "collections"
})
public record RetentionReceipt(
    long executionId,
    String status,
    boolean dryRun,
    long durationMs,
    String asOf,
    String refused,
    long purged,
    Map<String, Part> collections) {

  /**
   * One collection's part.
   *
   * @param purged purged by this run
   * @param ms the time this run spent on it
   */
  @JsonbPropertyOrder({"cutoff", "purged", "ms"})
  public record Part(String cutoff, long purged, long ms) {}

  static RetentionReceipt of(
      long executionId,
      String status,
      boolean dryRun,
      long durationMs,
      String asOf,
      String refused,
      PurgeTotals totals) {
    Map<String, Part> collections = new TreeMap<>(); // by name, as the totals keep them
    totals
        .collections()
        .forEach(
            (name, purge) ->
                collections.put(
                    name, new Part(purge.cutoff(), purge.purgedThisRun(), purge.durationMillis())));
    return new RetentionReceipt(
        executionId,
        status,
        dryRun,
        durationMs,
        asOf,
        refused,
        totals.purgedThisRun(),
        collections);
  }
}
