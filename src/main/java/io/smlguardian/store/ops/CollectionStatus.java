package io.smlguardian.store.ops;

import io.smlguardian.store.collection.StorageSize;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/**
 * One collection as operators see it.
 *
 * @param name the collection
 * @param records how many records it holds
 * @param storage the space it takes, or why that is unknown
 * @param timeField the field its age and retention go by
 * @param oldest the oldest record's time, null when empty
 * @param retention its retention and what is due under it
 */
@JsonbNillable
@JsonbPropertyOrder({"name", "records", "storage", "timeField", "oldest", "retention"})
public record CollectionStatus(
    String name,
    long records,
    StorageSize storage,
    String timeField,
    Instant oldest,
    Retention retention) {

  /**
   * The collection's retention.
   *
   * @param period the effective retention period (ISO-8601)
   * @param cutoff records before it are due for purging
   * @param due how many records are due
   * @param overdue whether it holds records older than its retention allows (a purge has work to
   *     do)
   */
  @JsonbPropertyOrder({"period", "cutoff", "due", "overdue"})
  public record Retention(String period, Instant cutoff, long due, boolean overdue) {}

  /** The status of a collection whose oldest record is {@code oldest} (null when it is empty). */
  static CollectionStatus of(
      String name,
      long records,
      StorageSize storage,
      String timeField,
      Instant oldest,
      String period,
      Instant cutoff,
      long due) {
    boolean overdue = oldest != null && oldest.isBefore(cutoff);
    return new CollectionStatus(
        name, records, storage, timeField, oldest, new Retention(period, cutoff, due, overdue));
  }
}
