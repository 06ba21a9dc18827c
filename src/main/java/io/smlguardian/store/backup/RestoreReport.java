package io.smlguardian.store.backup;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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

  public synchronized JsonObject toJson() {
    return Json.createObjectBuilder()
        .add("backupId", backupId)
        .add("replace", replace)
        .add("restored", counts(restored))
        .add("switched", counts(switched))
        .add("restoredTotal", restoredTotal())
        .add(
            "skipped",
            Json.createObjectBuilder()
                .add("erased", counts(skippedErased))
                .add("erasedDuringRestore", counts(erasedDuringRestore))
                .add("expired", counts(skippedExpired)))
        .add("ignored", ignoredJson())
        .add("switchMs", switchMs)
        .add("durationMs", durationMs)
        .build();
  }

  private JsonObjectBuilder ignoredJson() {
    JsonObjectBuilder json = Json.createObjectBuilder();
    ignored.forEach(json::add);
    return json;
  }

  private static JsonObjectBuilder counts(Map<String, Long> counts) {
    JsonObjectBuilder json = Json.createObjectBuilder();
    counts.forEach(json::add);
    return json;
  }
}
