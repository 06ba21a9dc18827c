package io.smlguardian.store.collection;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The kinds of value a record field holds, with the one place that converts them from and to JSON
 * and from the text of a query parameter. Every backend stores these kinds; nothing else is allowed
 * in an entity.
 */
public enum FieldType {
  TEXT(String.class, "a string") {
    @Override
    Object fromJsonValue(JsonValue json) {
      return json instanceof JsonString s ? s.getString() : null;
    }

    @Override
    Object fromText(String text) {
      return text;
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return Jsonp.PROVIDER.createValue((String) value);
    }
  },
  NUMBER(Double.class, "a number") {
    @Override
    Object fromJsonValue(JsonValue json) {
      return json instanceof JsonNumber n ? finite(n.doubleValue()) : null;
    }

    @Override
    Object fromText(String text) {
      try {
        return finite(Double.parseDouble(text));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return Jsonp.PROVIDER.createValue((Double) value);
    }

    private static Double finite(double d) {
      return Double.isFinite(d) ? d : null;
    }
  },
  INTEGER(Long.class, "an integer") {
    @Override
    Object fromJsonValue(JsonValue json) {
      if (json instanceof JsonNumber n && n.isIntegral()) {
        try {
          return n.longValueExact();
        } catch (ArithmeticException e) {
          return null;
        }
      }
      return null;
    }

    @Override
    Object fromText(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return Jsonp.PROVIDER.createValue(((Number) value).longValue());
    }
  },
  BOOLEAN(Boolean.class, "true or false") {
    @Override
    Object fromJsonValue(JsonValue json) {
      if (json == JsonValue.TRUE) {
        return Boolean.TRUE;
      }
      return json == JsonValue.FALSE ? Boolean.FALSE : null;
    }

    @Override
    Object fromText(String text) {
      return switch (text) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> null;
      };
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return (Boolean) value ? JsonValue.TRUE : JsonValue.FALSE;
    }
  },
  /** A point in time, written as ISO-8601 with an offset, kept to the microsecond. */
  TIME(Instant.class, "an ISO-8601 instant from year 0001 to 9999 such as 2026-01-31T12:00:00Z") {
    @Override
    Object fromJsonValue(JsonValue json) {
      return json instanceof JsonString s ? fromText(s.getString()) : null;
    }

    @Override
    Object fromText(String text) {
      try {
        Instant time = IsoInstants.parse(text).truncatedTo(ChronoUnit.MICROS);
        return time.isBefore(EARLIEST) || time.isAfter(LATEST) ? null : time;
      } catch (DateTimeException e) {
        return null;
      }
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return Jsonp.PROVIDER.createValue(IsoInstants.format((Instant) value));
    }
  },
  UUID(java.util.UUID.class, "a UUID") {
    @Override
    Object fromJsonValue(JsonValue json) {
      return json instanceof JsonString s ? fromText(s.getString()) : null;
    }

    @Override
    Object fromText(String text) {
      try {
        return java.util.UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return Jsonp.PROVIDER.createValue(value.toString());
    }
  },
  /** A free-form JSON document: any object, array or scalar. */
  JSON(JsonValue.class, "a JSON value") {
    @Override
    Object fromJsonValue(JsonValue json) {
      return json;
    }

    @Override
    Object fromText(String text) {
      return null;
    }

    @Override
    JsonValue toJsonValue(Object value) {
      return (JsonValue) value;
    }
  };

  /**
   * The range of times every backend stores alike: the years of an ISO-8601 date without a sign,
   * 0001 to 9999, which PostgreSQL's timestamptz, SQLite's text, H2 and MongoDB all hold. Java
   * reads years up to a billion, signed, which some of them refuse or store so that they sort
   * wrongly.
   */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private final Class<?> javaType;
  private final String description;

  FieldType(Class<?> javaType, String description) {
    this.javaType = javaType;
    this.description = description;
  }

  /** The Java type an entity field of this kind must have. */
  public Class<?> javaType() {
    return javaType;
  }

  /** How the kind is named in error messages: "must be " + description. */
  public String description() {
    return description;
  }

  /** The kind an entity field of the given Java type holds. */
  public static FieldType forJavaType(Class<?> type) {
    for (FieldType kind : values()) {
      if (kind.javaType.equals(type)) {
        return kind;
      }
    }
    if (type == long.class) {
      return INTEGER;
    }
    throw new IllegalArgumentException("no field type for Java type " + type.getName());
  }

  /**
   * Converts a JSON value of a request body. JSON null becomes Java null.
   *
   * @throws IllegalArgumentException when the value is not of this kind
   */
  public Object fromJson(JsonValue json) {
    if (json == null || json == JsonValue.NULL) {
      return null;
    }
    Object value = fromJsonValue(json);
    if (value == null) {
      throw new IllegalArgumentException("must be " + description);
    }
    return value;
  }

  /**
   * Converts the text of a query parameter (a filter value).
   *
   * @throws IllegalArgumentException when the text is not of this kind
   */
  public Object parse(String text) {
    Object value = fromText(text);
    if (value == null) {
      throw new IllegalArgumentException("'" + text + "' is not " + description);
    }
    return value;
  }

  /** Converts a stored value to JSON. Java null becomes JSON null. */
  public JsonValue toJson(Object value) {
    return value == null ? JsonValue.NULL : toJsonValue(value);
  }

  /** Null when the JSON value is not of this kind. */
  abstract Object fromJsonValue(JsonValue json);

  /** Null when the text is not of this kind. */
  abstract Object fromText(String text);

  abstract JsonValue toJsonValue(Object value);
}
