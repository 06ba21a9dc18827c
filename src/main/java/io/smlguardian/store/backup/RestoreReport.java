package io.smlguardian.store.backup;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a restore did, per collection: records read from the archive into staging ("restored"),
 * records switched into the store, and records of the backup left out because their owner was
 * erased after they were written (known when the restore began, or erased while it ran), or because
 * their retention has run out. Pages are inserted on several threads at once, so it is
 * synchronized.
 */
public final class RestoreReport {

  private final String backupId;
  private final boolean replace;
  private final Map<String, Long> switched = new LinkedHashMap<>();
  private final Map<String, Long> erasedDuringRestore = new LinkedHashMap<>();
  private final Map<String, Long> restored = new LinkedHashMap<>();
  private final Map<String, Long> skippedErased = new LinkedHashMap<>();
  private final Map<String, Long> skippedExpired = new LinkedHashMap<>();
  private final Map<String, String> ignored = new LinkedHashMap<>();
  private long durationMs;
  private long switchMs;

  RestoreReport(String backupId, boolean replace) {
    this.backupId = backupId;
    this.replace = replace;
  }

  /** Records switched in (the staged ones left once erasures were applied again). */
  synchronized void switched(String collection, long count) {
    switched.put(collection, count);
  }

  /** Staged records left out at the switch: their owner was erased while the restore ran. */
  synchronized void erasedDuringRestore(String collection, long count) {
    erasedDuringRestore.merge(collection, count, Long::sum);
  }

  synchronized void restored(String collection, long count) {
    restored.merge(collection, count, Long::sum);
  }

  synchronized void skippedErased(String collection) {
    skippedErased.merge(collection, 1L, Long::sum);
  }

  synchronized void skippedExpired(String collection) {
    skippedExpired.merge(collection, 1L, Long::sum);
  }

  /** An entry of the archive left unrestored, and why. */
  synchronized void ignored(String entry, String reason) {
    ignored.put(entry, reason);
  }

  /** How long the switch took: the one transaction (or maintenance window) of the restore. */
  synchronized void switchMs(long millis) {
    this.switchMs = millis;
  }

  synchronized void durationMs(long millis) {
    this.durationMs = millis;
  }

  public synchronized long restoredTotal() {
    return restored.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What it did so far, as a view that JSON-B writes. */
  public synchronized View view() {
    return new View(
        backupId,
        replace,
        new LinkedHashMap<>(restored),
        new LinkedHashMap<>(switched),
        restoredTotal(),
        new Skipped(
            new LinkedHashMap<>(skippedErased),
            new LinkedHashMap<>(erasedDuringRestore),
            new LinkedHashMap<>(skippedExpired)),
        new LinkedHashMap<>(ignored),
        switchMs,
        durationMs);
  }

  /** {@link #view()} as JSON: what the job keeps as its result, and the audit trail records. */
  public JsonObject toJson() {
    return BackupJson.object(view());
  }

  /**
   * What a restore did, each count per collection.
   *
   * @param ignored the entries of the archive left unrestored, each with why
   */
  @JsonbPropertyOrder({
    "backupId",
    "replace",
    "restored",
    "switched",
    "restoredTotal",
    "skipped",
    "ignored",
    "switchMs",
    "durationMs"
  })
  public record View(
      String backupId,
      boolean replace,
      Map<String, Long> restored,
      Map<String, Long> switched,
      long restoredTotal,
      Skipped skipped,
      Map<String, String> ignored,
      long switchMs,
      long durationMs) {}

  /**
   * Records of the backup left out.
   *
   * @param erased their owner was erased when the restore began
   * @param erasedDuringRestore their owner was erased while it ran
   * @param expired their retention has run out
   */
  @JsonbPropertyOrder({"erased", "erasedDuringRestore", "expired"})
  public record Skipped(
      Map<String, Long> erased, Map<String, Long> erasedDuringRestore, Map<String, Long> expired) {}
}
