package io.smlguardian.store.backup;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a restore did, per collection: records written, and records of the backup left out because
 * their owner was erased after they were written, or because their retention has run out. Pages are
 * inserted on several threads at once, so it is synchronized.
 */
public final class RestoreReport {

  private final String backupId;
  private final boolean replace;
  private final Map<String, Long> wiped = new LinkedHashMap<>();
  private final Map<String, Long> restored = new LinkedHashMap<>();
  private final Map<String, Long> skippedErased = new LinkedHashMap<>();
  private final Map<String, Long> skippedExpired = new LinkedHashMap<>();
  private final Map<String, String> ignored = new LinkedHashMap<>();
  private long durationMs;

  RestoreReport(String backupId, boolean replace) {
    this.backupId = backupId;
    this.replace = replace;
  }

  synchronized void wiped(String collection, long count) {
    wiped.put(collection, count);
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
        .add("wiped", counts(wiped))
        .add("restored", counts(restored))
        .add("restoredTotal", restoredTotal())
        .add(
            "skipped",
            Json.createObjectBuilder()
                .add("erased", counts(skippedErased))
                .add("expired", counts(skippedExpired)))
        .add("ignored", ignoredJson())
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
