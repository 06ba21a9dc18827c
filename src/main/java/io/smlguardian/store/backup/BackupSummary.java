package io.smlguardian.store.backup;

import io.smlguardian.store.backup.archive.Manifest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.Map;

/**
 * A backup as the listing shows it: the seed's {@code {backupId, size, timestamp}}, and what it
 * holds.
 *
 * @param backupId its id
 * @param size the archive's size in bytes
 * @param timestamp when it was taken
 * @param manifest its manifest, or null when the archive cannot be read
 * @param problem why it cannot be read, or null
 */
public record BackupSummary(
    String backupId, long size, Instant timestamp, Manifest manifest, String problem) {

  public JsonObject toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("backupId", backupId)
            .add("size", size)
            .add("timestamp", timestamp.toString());
    if (manifest != null) {
      JsonObjectBuilder counts = Json.createObjectBuilder();
      for (Map.Entry<String, Long> count : manifest.counts().entrySet()) {
        counts.add(count.getKey(), count.getValue());
      }
      json.add("backend", manifest.backend())
          .add("schemaVersion", manifest.schemaVersion())
          .add("compressed", manifest.compressed())
          .add("encrypted", manifest.encrypted())
          .add("records", manifest.records())
          .add("counts", counts);
    }
    if (problem != null) {
      json.add("problem", problem);
    }
    return json.build();
  }
}
