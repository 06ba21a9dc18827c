package io.smlguardian.store.collection.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One condition on a query field: {@code field op value}, or its negation. The values are already
 * converted to the field's type; for {@link FilterOperator#IS} the single value is null, true or
 * false; for {@link FilterOperator#IN} there is at least one.
 *
 * @param field a query field of the collection
 * @param operator the comparison
 * @param negated whether the condition is negated ({@code not.} prefix)
 * @param values the typed operand(s)
 */
public record Filter(String field, FilterOperator operator, boolean negated, List<Object> values) {

  public Filter {
    // List.copyOf refuses nulls, and is.null carries one.
    values = Collections.unmodifiableList(new ArrayList<>(values));
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a filter needs a value");
    }
  }

  /** The single operand of every operator but {@code in}. */
  public Object value() {
    return values.get(0);
  }
}
