package io.smlguardian.store.ops;

import io.smlguardian.store.collection.RecordCache;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The service's status for operators: the backend and how it is reached, every collection's
 * records, storage and retention, their totals, the last backup and purge, and this instance's read
 * cache; and, while this instance is in maintenance (writes and reads of records refused, see
 * {@code resilience.Maintenance}), why.
 *
 * @param maintenance why this instance is in maintenance; null (left out) when it is not
 */
@JsonbPropertyOrder({
  "asOf",
  "backend",
  "maintenance",
  "connection",
  "collections",
  "totals",
  "jobs",
  "readCache"
})
public record StoreStatus(
    Instant asOf,
    String backend,
    String maintenance,
    ConnectionStatus connection,
    List<CollectionStatus> collections,
    Totals totals,
    Jobs jobs,
    RecordCache.Figures readCache) {

  /**
   * The collections together.
   *
   * @param storageBytes null unless every collection's size is known
   */
  @JsonbNillable
  @JsonbPropertyOrder({"records", "due", "storageBytes"})
  public record Totals(long records, long due, Long storageBytes) {}

  /** The latest execution of each job, null when it never ran (see {@link JobRun}). */
  @JsonbPropertyOrder({"lastBackup", "lastPurge"})
  public record Jobs(JobRun lastBackup, JobRun lastPurge) {}

  static StoreStatus of(
      Instant asOf,
      String backend,
      String maintenance,
      ConnectionStatus connection,
      List<CollectionStatus> collections,
      Optional<JobRun> lastBackup,
      Optional<JobRun> lastPurge,
      RecordCache.Figures readCache) {
    long records = 0;
    long due = 0;
    long bytes = 0;
    boolean allSized = true;
    for (CollectionStatus collection : collections) {
      records += collection.records();
      due += collection.retention().due();
      if (collection.storage().known()) {
        bytes += collection.storage().bytes();
      } else {
        allSized = false;
      }
    }
    return new StoreStatus(
        asOf,
        backend,
        maintenance,
        connection,
        collections,
        new Totals(records, due, allSized ? bytes : null),
        new Jobs(lastBackup.orElse(null), lastPurge.orElse(null)),
        readCache);
  }
}
