package io.smlguardian.store.ops;

import io.smlguardian.store.collection.StorageSize;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/**
 * One collection as operators see it.
 *
 * @param name the collection
 * @param records how many records it holds
 * @param storage the space it takes, or why that is unknown
 * @param timeField the field its age and retention go by
 * @param oldest the oldest record's time, null when empty
 * @param retention the effective retention period (ISO-8601)
 * @param cutoff records before it are due for purging
 * @param due how many records are due
 */
public record CollectionStatus(
    String name,
    long records,
    StorageSize storage,
    String timeField,
    Instant oldest,
    String retention,
    Instant cutoff,
    long due) {

  /** Whether it holds records older than its retention allows (a purge has work to do). */
  public boolean overdue() {
    return oldest != null && oldest.isBefore(cutoff);
  }

  public JsonObject toJson() {
    JsonObjectBuilder storageJson = Json.createObjectBuilder().add("measure", storage.measure());
    if (storage.known()) {
      storageJson.add("bytes", storage.bytes());
    } else {
      storageJson.addNull("bytes");
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("name", name)
            .add("records", records)
            .add("storage", storageJson)
            .add("timeField", timeField);
    if (oldest == null) {
      json.addNull("oldest");
    } else {
      json.add("oldest", oldest.toString());
    }
    return json.add(
            "retention",
            Json.createObjectBuilder()
                .add("period", retention)
                .add("cutoff", cutoff.toString())
                .add("due", due)
                .add("overdue", overdue()))
        .build();
  }
}
