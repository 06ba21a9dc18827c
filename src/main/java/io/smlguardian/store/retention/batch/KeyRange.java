package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk of a collection in time order: the records after {@code from} (from the first when
 * null) up to and including {@code to} (to the last when null). The reader bounds it to the chunk
 * size, the writer deletes it.
 */
record KeyRange(TimeKey from, TimeKey to) implements Serializable {

  /**
   * The range as conjunctions of filters whose union it is: records strictly between the two
   * instants as one time range, and those at a boundary instant by their ids' order.
   */
  List<List<Filter>> filters(String timeField) {
    List<List<Filter>> parts = new ArrayList<>();
    if (from != null && to != null && from.time().equals(to.time())) {
      parts.add(
          List.of(
              at(timeField, from.time()),
              new Filter("id", FilterOperator.GT, false, List.of(from.id())),
              new Filter("id", FilterOperator.LTE, false, List.of(to.id()))));
      return parts;
    }
    List<Filter> between = new ArrayList<>();
    if (from != null) {
      parts.add(
          List.of(
              at(timeField, from.time()),
              new Filter("id", FilterOperator.GT, false, List.of(from.id()))));
      between.add(new Filter(timeField, FilterOperator.GT, false, List.of(from.time())));
    }
    if (to != null) {
      between.add(new Filter(timeField, FilterOperator.LT, false, List.of(to.time())));
    }
    parts.add(between);
    if (to != null) {
      parts.add(
          List.of(
              at(timeField, to.time()),
              new Filter("id", FilterOperator.LTE, false, List.of(to.id()))));
    }
    return parts;
  }

  private static Filter at(String timeField, Instant time) {
    return new Filter(timeField, FilterOperator.EQ, false, List.of(time));
  }
}
