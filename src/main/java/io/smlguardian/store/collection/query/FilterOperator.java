package io.smlguardian.store.collection.query;

import java.util.Arrays;
import java.util.Optional;

/** The comparison a filter makes, named as in PostgREST's {@code ?field=op.value} grammar. */
public enum FilterOperator {
  EQ("eq"),
  NEQ("neq"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  /** {@code in.(a,b,c)}: one of the listed values. */
  IN("in"),
  /** {@code is.null}, {@code is.true}, {@code is.false}. */
  IS("is");

  private final String token;

  FilterOperator(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  /** The operator a token names; {@code ne} is accepted for {@code neq}. */
  public static Optional<FilterOperator> fromToken(String token) {
    if ("ne".equals(token)) {
      return Optional.of(NEQ);
    }
    return Arrays.stream(values()).filter(op -> op.token.equals(token)).findFirst();
  }

  /** Whether the operator orders values (and so needs a field that has an order). */
  public boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }
}
