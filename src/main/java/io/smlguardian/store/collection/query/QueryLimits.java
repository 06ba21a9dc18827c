package io.smlguardian.store.collection.query;

/**
 * Page sizes and depths: the size used when a query names none, the largest one allowed, and the
 * deepest offset. A database reads and throws away every record before the offset, so deep offsets
 * cost in proportion to their depth; beyond the bound a client narrows the query instead (see
 * {@link QueryParser}).
 *
 * @param defaultLimit page size when the query has no {@code limit}
 * @param maxLimit the largest {@code limit} accepted
 * @param maxOffset the largest {@code offset} accepted
 */
public record QueryLimits(int defaultLimit, int maxLimit, int maxOffset) {

  /** The default of {@code QUERY_MAX_OFFSET}. */
  public static final int DEFAULT_MAX_OFFSET = 10_000;

  public QueryLimits {
    if (defaultLimit < 1 || maxLimit < defaultLimit) {
      throw new IllegalArgumentException(
          "need 1 <= default limit <= max limit, got " + defaultLimit + " and " + maxLimit);
    }
    if (maxOffset < 0) {
      throw new IllegalArgumentException("the max offset cannot be negative, got " + maxOffset);
    }
  }
}
