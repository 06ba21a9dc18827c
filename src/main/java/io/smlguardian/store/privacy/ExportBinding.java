package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.Jsonp;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.time.Instant;
import java.util.UUID;

/**
 * What binds an export file to its job and its user, kept beside the file ({@code
 * export-<exportId>.json}): the file is served through it alone, so only as the export of this
 * user, and only once complete. The export id is random: unlike a job execution id (Liberty's job
 * repository is in memory, so those start again at 1 with every start of the server), it never
 * names two exports.
 *
 * @param exportId the export's own id, which names its files
 * @param userId whose data the file holds
 * @param requestedBy the privacy officer who asked
 * @param requestedAt when; the file's retention counts from here
 * @param executionId the job execution writing it, once started (null before)
 * @param completedAt when the file was complete (null until then)
 * @param bytes the complete file's size (0 until then)
 */
record ExportBinding(
    UUID exportId,
    String userId,
    String requestedBy,
    Instant requestedAt,
    Long executionId,
    Instant completedAt,
    long bytes) {

  static ExportBinding requested(String userId, String requestedBy, Instant at) {
    return new ExportBinding(UUID.randomUUID(), userId, requestedBy, at, null, null, 0);
  }

  boolean complete() {
    return completedAt != null;
  }

  ExportBinding startedAs(long execution) {
    return new ExportBinding(
        exportId, userId, requestedBy, requestedAt, execution, completedAt, bytes);
  }

  ExportBinding completed(Instant at, long size) {
    return new ExportBinding(exportId, userId, requestedBy, requestedAt, executionId, at, size);
  }

  JsonObject toJson() {
    JsonObjectBuilder json =
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("exportId", exportId.toString())
            .add("userId", userId)
            .add("requestedBy", requestedBy)
            .add("requestedAt", requestedAt.toString());
    if (executionId != null) {
      json.add("executionId", executionId);
    }
    if (completedAt != null) {
      json.add("completedAt", completedAt.toString()).add("bytes", bytes);
    }
    return json.build();
  }

  /**
   * The binding a file holds.
   *
   * @throws IllegalArgumentException when it is not one (a damaged file binds nothing)
   */
  static ExportBinding fromJson(JsonObject json) {
    try {
      return new ExportBinding(
          UUID.fromString(json.getString("exportId")),
          json.getString("userId"),
          json.getString("requestedBy"),
          Instant.parse(json.getString("requestedAt")),
          json.get("executionId") instanceof JsonNumber n ? n.longValueExact() : null,
          json.get("completedAt") instanceof JsonString s ? Instant.parse(s.getString()) : null,
          json.get("bytes") instanceof JsonNumber n ? n.longValueExact() : 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an export binding: " + e.getMessage(), e);
    }
  }
}
