package io.smlguardian.store.backup;

import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.Map;

/**
 * A backup as the listing shows it: the seed's {@code {backupId, size, timestamp}}, and what it
 * holds. What is not known (all of the manifest's figures when the archive cannot be read, the
 * whole manifest outside the view of one backup) is left out of its JSON.
 *
 * @param backupId its id
 * @param size the archive's size in bytes
 * @param timestamp when it was taken
 * @param backend the backend it was taken from
 * @param schemaVersion the schema version there
 * @param compressed whether its entries are compressed
 * @param encrypted whether its entries are encrypted
 * @param records its records in all
 * @param counts its records per collection
 * @param problem why it cannot be read, or null
 * @param manifest its whole manifest, in the view of one backup only
 */
@JsonbPropertyOrder({
  "backupId",
  "size",
  "timestamp",
  "backend",
  "schemaVersion",
  "compressed",
  "encrypted",
  "records",
  "counts",
  "problem",
  "manifest"
})
public record BackupSummary(
    String backupId,
    long size,
    Instant timestamp,
    String backend,
    String schemaVersion,
    Boolean compressed,
    Boolean encrypted,
    Long records,
    Map<String, Long> counts,
    String problem,
    JsonObject manifest) {

  /** A readable backup; with its whole manifest when {@code detailed}. */
  static BackupSummary of(BackupId id, long size, Manifest manifest, boolean detailed) {
    return new BackupSummary(
        id.value(),
        size,
        id.created(),
        manifest.backend(),
        manifest.schemaVersion(),
        manifest.compressed(),
        manifest.encrypted(),
        manifest.records(),
        manifest.counts(),
        null,
        detailed ? manifest.toJson() : null);
  }

  /** A backup whose archive cannot be read, and why. */
  static BackupSummary unreadable(BackupId id, long size, String problem) {
    return new BackupSummary(
        id.value(), size, id.created(), null, null, null, null, null, null, problem, null);
  }
}
