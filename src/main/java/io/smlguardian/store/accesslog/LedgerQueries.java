package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import java.util.Arrays;
import java.util.List;

/** The queries of the ledger's tables that the sealer, the verifier and restores share. */
final class LedgerQueries {

  private LedgerQueries() {}

  static Filter isNull(String field) {
    return new Filter(field, FilterOperator.IS, false, Arrays.asList((Object) null));
  }

  static Filter isNotNull(String field) {
    return new Filter(field, FilterOperator.IS, true, Arrays.asList((Object) null));
  }

  /** Written entries in no block yet, oldest first: what the sealer seals next. */
  static RecordQuery unsealedOldestFirst(int limit) {
    return new RecordQuery(
        List.of(isNull("block"), isNotNull("mac")),
        List.of(SortOrder.asc("timestamp"), SortOrder.asc("id")),
        limit,
        0,
        List.of());
  }

  /** A block's entries, in the order of their positions. */
  static RecordQuery entriesOf(long block) {
    return new RecordQuery(
        List.of(new Filter("block", FilterOperator.EQ, false, List.of(block))),
        List.of(SortOrder.asc("position")),
        Integer.MAX_VALUE,
        0,
        List.of());
  }

  /** The blocks numbered from first to last, in order, at most limit of them. */
  static RecordQuery blocks(long first, long last, int limit) {
    return new RecordQuery(
        List.of(
            new Filter("number", FilterOperator.GTE, false, List.of(first)),
            new Filter("number", FilterOperator.LTE, false, List.of(last))),
        List.of(SortOrder.asc("number")),
        limit,
        0,
        List.of());
  }
}
