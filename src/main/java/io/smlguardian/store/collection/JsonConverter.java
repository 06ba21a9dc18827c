package io.smlguardian.store.collection;

import jakarta.json.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.StringReader;

/**
 * Maps the free-form JSON parts of a record to a JSON column (jsonb on PostgreSQL).
 *
 * <p>The database side is typed {@code Object} on purpose: drivers hand jsonb back as their own
 * wrapper type (PGobject for PostgreSQL), whose {@code toString()} is the JSON text. Reading it
 * that way keeps the WAR free of driver classes; writing plain text works because the datasource
 * sends strings untyped ({@code stringType=unspecified}), letting the server cast them to jsonb.
 */
@Converter(autoApply = true)
public class JsonConverter implements AttributeConverter<JsonValue, Object> {

  @Override
  public Object convertToDatabaseColumn(JsonValue value) {
    return value == null ? null : value.toString();
  }

  @Override
  public JsonValue convertToEntityAttribute(Object column) {
    if (column == null) {
      return null;
    }
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(column.toString()))) {
      return reader.readValue();
    }
  }
}
