package io.smlguardian.store.collection.query;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

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
  IS("is"),
  /**
   * Not part of the query grammar (no request can name it): the field's value is the owner of some
   * record of another collection, the filter's single value (its descriptor). Retention keeps the
   * records of users under legal hold with it, negated: the database answers it with a subquery
   * over the holds, however many there are, where a list of values would have to be read first.
   */
  OWNER_IN(null);

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
    return requestable().filter(op -> op.token.equals(token)).findFirst();
  }

  /** The operators of the query grammar, which a request may name. */
  public static Stream<FilterOperator> requestable() {
    return Arrays.stream(values()).filter(op -> op.token != null);
  }

  /** Whether the operator orders values (and so needs a field that has an order). */
  public boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }
}
