package io.smlguardian.store.collection.query;

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
 */
public record RecordQuery(
    List<Filter> filters, List<SortOrder> order, int limit, int offset, List<String> projection) {

  public RecordQuery {
    filters = List.copyOf(filters);
    order = List.copyOf(order);
    projection = List.copyOf(projection);
  }
}
