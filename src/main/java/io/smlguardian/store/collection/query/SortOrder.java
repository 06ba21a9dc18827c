package io.smlguardian.store.collection.query;

/**
 * One key of a sort order.
 *
 * @param field a query field of the collection
 * @param ascending whether smaller values come first
 */
public record SortOrder(String field, boolean ascending) {

  public static SortOrder asc(String field) {
    return new SortOrder(field, true);
  }

  public static SortOrder desc(String field) {
    return new SortOrder(field, false);
  }
}
