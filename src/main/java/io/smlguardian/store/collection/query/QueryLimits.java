package io.smlguardian.store.collection.query;

/**
 * Page sizes: the one used when a query names none, and the largest one allowed.
 *
 * @param defaultLimit page size when the query has no {@code limit}
 * @param maxLimit the largest {@code limit} accepted
 */
public record QueryLimits(int defaultLimit, int maxLimit) {

  public QueryLimits {
    if (defaultLimit < 1 || maxLimit < defaultLimit) {
      throw new IllegalArgumentException(
          "need 1 <= default limit <= max limit, got " + defaultLimit + " and " + maxLimit);
    }
  }
}
