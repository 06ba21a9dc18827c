package io.smlguardian.store.collection.query;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.TimeKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns the query parameters of a request into a validated {@link RecordQuery}, following
 * PostgREST's grammar:
 *
 * <ul>
 *   <li>{@code field=[not.]op.value} filters, with op one of eq, neq (or ne), gt, gte, lt, lte, in,
 *       is: {@code type=eq.success_pattern}, {@code strength=gte.0.5}, {@code
 *       emotion=in.(joy,calm)}, {@code endTime=is.null}, {@code type=not.eq.chat}. Values in {@code
 *       in.(...)} may be double-quoted to contain commas. A field may be filtered more than once:
 *       {@code strength=gte.0.2&strength=lt.0.8}.
 *   <li>{@code order=field[.asc|.desc],...}, e.g. {@code order=strength.desc,timestamp}.
 *   <li>{@code limit} and {@code offset}, or {@code after=<id>}: the page after that record in the
 *       default order (a keyset cursor, which costs the same at any depth).
 *   <li>{@code select=field,...}: the fields to return.
 * </ul>
 *
 * Every error names the offending parameter; no request text survives into the query except as a
 * declared field name or a typed value.
 */
public final class QueryParser {

  public static final String LIMIT = "limit";
  public static final String OFFSET = "offset";
  public static final String ORDER = "order";
  public static final String SELECT = "select";
  public static final String AFTER = "after";
  private static final Set<String> RESERVED = Set.of(LIMIT, OFFSET, ORDER, SELECT, AFTER);
  private static final String OPERATORS =
      FilterOperator.requestable().map(FilterOperator::token).collect(Collectors.joining(", "));

  private final QueryLimits limits;

  public QueryParser(QueryLimits limits) {
    this.limits = limits;
  }

  /** A query with filters, order, page and projection. */
  public RecordQuery query(CollectionDescriptor<?> collection, Map<String, List<String>> params) {
    List<Filter> filters = new ArrayList<>();
    List<SortOrder> order = List.of();
    int limit = limits.defaultLimit();
    int offset = 0;
    List<String> projection = List.of();
    TimeKey after = null;
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      switch (name) {
        case LIMIT -> limit = integer(LIMIT, single(param), 1, limits.maxLimit());
        case OFFSET -> offset = offset(single(param));
        case ORDER -> order = order(collection, single(param));
        case SELECT -> projection = projection(collection, single(param));
        case AFTER -> after = new TimeKey(null, cursor(single(param)));
        default -> param.getValue().forEach(v -> filters.add(filter(collection, name, v)));
      }
    }
    if (after != null && (!order.isEmpty() || offset != 0)) {
      throw new InvalidRequestException(
          "after continues the default order (newest first) from a record: it takes neither order"
              + " nor offset.",
          List.of(AFTER + ": cannot be combined with order or offset"));
    }
    return new RecordQuery(filters, order, limit, offset, projection, after);
  }

  /** The id of an {@code after} cursor: the last record of the previous page. */
  private static UUID cursor(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "after must be the id (a UUID) of the last record of the previous page, got '"
              + text
              + "'.",
          List.of(AFTER + ": must be a record id"));
    }
  }

  /** Filters only, as for a count: paging, order and projection make no sense there. */
  public List<Filter> filters(
      CollectionDescriptor<?> collection, Map<String, List<String>> params) {
    List<Filter> filters = new ArrayList<>();
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      if (RESERVED.contains(param.getKey())) {
        throw new InvalidRequestException(
            "'" + param.getKey() + "' does not apply here: only filters do.");
      }
      param.getValue().forEach(v -> filters.add(filter(collection, param.getKey(), v)));
    }
    return filters;
  }

  /** The fields of a {@code select} parameter, for reads of a single record. */
  public List<String> projection(CollectionDescriptor<?> collection, String select) {
    if (select == null) {
      return List.of();
    }
    Set<String> fields = new LinkedHashSet<>();
    for (String field : select.split(",", -1)) {
      String name = field.trim();
      if (!collection.schema().has(name)) {
        throw unknownField(collection, SELECT, name);
      }
      fields.add(name);
    }
    return List.copyOf(fields);
  }

  Filter filter(CollectionDescriptor<?> collection, String fieldName, String expression) {
    FieldDefinition field = queryField(collection, fieldName);
    String rest = expression;
    boolean negated = false;
    if (rest.startsWith("not.")) {
      negated = true;
      rest = rest.substring("not.".length());
    }
    int dot = rest.indexOf('.');
    FilterOperator operator =
        dot < 0 ? null : FilterOperator.fromToken(rest.substring(0, dot)).orElse(null);
    if (operator == null) {
      throw new InvalidRequestException(
          "Malformed filter "
              + fieldName
              + "="
              + expression
              + ": expected [not.]operator.value, e.g. "
              + fieldName
              + "=eq.x; operators: "
              + OPERATORS
              + ".");
    }
    String operand = rest.substring(dot + 1);
    try {
      return new Filter(fieldName, operator, negated, operands(field, operator, operand));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "Invalid filter " + fieldName + "=" + expression + ": " + e.getMessage() + ".");
    }
  }

  private static List<Object> operands(FieldDefinition field, FilterOperator op, String operand) {
    FieldType type = field.type();
    return switch (op) {
      case IN -> {
        if (!operand.startsWith("(") || !operand.endsWith(")") || operand.length() < 3) {
          throw new IllegalArgumentException("in needs a list of values, e.g. in.(a,b)");
        }
        yield splitList(operand.substring(1, operand.length() - 1)).stream()
            .map(type::parse)
            .toList();
      }
      case IS -> {
        if ("null".equals(operand)) {
          yield java.util.Collections.singletonList(null);
        }
        if (type != FieldType.BOOLEAN || !("true".equals(operand) || "false".equals(operand))) {
          throw new IllegalArgumentException(
              "is takes null" + (type == FieldType.BOOLEAN ? ", true or false" : ""));
        }
        yield List.of(type.parse(operand));
      }
      default -> {
        if (op.isOrdering() && type == FieldType.BOOLEAN) {
          throw new IllegalArgumentException(field.name() + " has no order");
        }
        yield List.of(type.parse(operand));
      }
    };
  }

  /** Splits {@code a,"b,c",d}; quotes protect commas and are removed. */
  static List<String> splitList(String list) {
    List<String> items = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        items.add(item.toString());
        item.setLength(0);
      } else {
        item.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unbalanced quote in list");
    }
    items.add(item.toString());
    return items;
  }

  private List<SortOrder> order(CollectionDescriptor<?> collection, String order) {
    List<SortOrder> keys = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String key : order.split(",", -1)) {
      String[] parts = key.trim().split("\\.", -1);
      String field = parts[0];
      queryField(collection, field, ORDER);
      if (!seen.add(field)) {
        throw new InvalidRequestException("order names " + field + " twice.");
      }
      if (parts.length == 1 || (parts.length == 2 && parts[1].equals("asc"))) {
        keys.add(SortOrder.asc(field));
      } else if (parts.length == 2 && parts[1].equals("desc")) {
        keys.add(SortOrder.desc(field));
      } else {
        throw new InvalidRequestException(
            "Malformed order key '" + key + "': expected field, field.asc or field.desc.");
      }
    }
    return keys;
  }

  /**
   * The offset, up to the configured depth: beyond it, the database would read and discard every
   * record before the page. A client reads deeper by narrowing the query on the order's field
   * instead, which an index serves at any depth.
   */
  private int offset(String text) {
    int offset = integer(OFFSET, text, 0, Integer.MAX_VALUE);
    if (offset > limits.maxOffset()) {
      throw new InvalidRequestException(
          "offset must be an integer from 0 to "
              + limits.maxOffset()
              + ", got '"
              + offset
              + "'. To read deeper, continue from the last record of a page: after=<its id> in the"
              + " default order, or a filter on the order's field, e.g. timestamp=lt.<its time>.",
          List.of(OFFSET + ": must be an integer from 0 to " + limits.maxOffset()));
    }
    return offset;
  }

  /**
   * An integer request parameter from min to max: the one check of paging parameters (limit,
   * offset) throughout the API, with a 400 that names the parameter for text that is no integer or
   * is out of range, rather than the REST runtime's 404 for a typed parameter it cannot convert.
   *
   * @param text the parameter's value, or null when absent (then refused too)
   */
  public static int integer(String name, String text, int min, int max) {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String range =
        max == Integer.MAX_VALUE
            ? "an integer of at least " + min
            : "an integer from " + min + " to " + max;
    throw new InvalidRequestException(
        name + " must be " + range + ", got '" + text + "'.", List.of(name + ": must be " + range));
  }

  private static String single(Map.Entry<String, List<String>> param) {
    if (param.getValue().size() != 1) {
      throw new InvalidRequestException("'" + param.getKey() + "' may be given only once.");
    }
    return param.getValue().get(0);
  }

  private static FieldDefinition queryField(CollectionDescriptor<?> collection, String name) {
    return queryField(collection, name, "filter");
  }

  private static FieldDefinition queryField(
      CollectionDescriptor<?> collection, String name, String usage) {
    FieldDefinition field =
        collection.schema().field(name).orElseThrow(() -> unknownField(collection, usage, name));
    if (!collection.isQueryField(name)) {
      throw new InvalidRequestException(
          "Field '"
              + name
              + "' of "
              + collection.name()
              + " cannot be used in a "
              + usage
              + ". Query fields: "
              + sorted(collection.queryFields())
              + ".");
    }
    return field;
  }

  private static InvalidRequestException unknownField(
      CollectionDescriptor<?> collection, String usage, String name) {
    List<String> fields = collection.schema().fields().stream().map(FieldDefinition::name).toList();
    return new InvalidRequestException(
        "Unknown field '"
            + name
            + "' in "
            + usage
            + " on "
            + collection.name()
            + ". Fields: "
            + String.join(", ", fields)
            + ".");
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }
}
