package io.smlguardian.store.collection.query;

import io.smlguardian.store.collection.TimeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated query on one collection: every field named is a declared field, every value has the
 * field's type, and the page is within the limits. Backends translate it; they never see request
 * text.
 *
 * @param filters conditions that all must hold
 * @param order sort keys, most significant first; backends end every order with the id so that
 *     pages are stable
 * @param limit the page size
 * @param offset how many matching records to skip
 * @param projection the fields to return; empty for all
 * @param after a keyset cursor in the default order (newest first, then by id), or null: the page
 *     holds the records that come after this key in that order. From the parser it carries the id
 *     alone; the service fills in the record's time (see {@link #resolved}) before a store sees it.
 */
public record RecordQuery(
    List<Filter> filters,
    List<SortOrder> order,
    int limit,
    int offset,
    List<String> projection,
    TimeKey after) {

  public RecordQuery {
    filters = List.copyOf(filters);
    order = List.copyOf(order);
    projection = List.copyOf(projection);
  }

  /** A query without a cursor. */
  public RecordQuery(
      List<Filter> filters, List<SortOrder> order, int limit, int offset, List<String> projection) {
    this(filters, order, limit, offset, projection, null);
  }

  /**
   * The order every store applies: the asked keys (newest first when none), ending with the id so
   * that pages are stable.
   *
   * @param timeField the collection's time field
   */
  public List<SortOrder> effectiveOrder(String timeField) {
    List<SortOrder> effective =
        new ArrayList<>(order.isEmpty() ? List.of(SortOrder.desc(timeField)) : order);
    if (effective.stream().noneMatch(k -> k.field().equals("id"))) {
      effective.add(SortOrder.asc("id"));
    }
    return effective;
  }

  /** The same query continuing after the given key, whose time is now known. */
  public RecordQuery resolved(TimeKey key) {
    return new RecordQuery(filters, order, limit, offset, projection, key);
  }
}
