package io.smlguardian.store.backup.archive;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.RecordJson;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A record as one line of JSON, in its stored form: every field of the collection's schema (the
 * store's id, creation time and version included), under its API name, sealed fields as the sealed
 * text they are stored as. The same for every collection and backend, so that a line written from
 * one backend is read into another.
 *
 * <p>Writing is {@link RecordJson}'s, hand-made for speed (a backup writes millions of lines);
 * reading goes through JSON-P and the schema's own conversions, so that a line is taken only if
 * every value has its field's type.
 */
public final class RecordLines {

  /** One factory for all lines: looking the JSON provider up per line would dominate a restore. */
  private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

  private RecordLines() {}

  /** The fields a line of the collection has, in order. */
  public static List<String> fields(CollectionDescriptor<?> collection) {
    return collection.schema().fields().stream().map(FieldDefinition::name).toList();
  }

  /** Writes the record as one line, newline included: its stored form (see {@link RecordJson}). */
  static void write(CollectionDescriptor<?> collection, StoredRecord record, Writer out)
      throws IOException {
    RecordJson.writeStored(collection, record, out);
    out.write('\n');
  }

  /**
   * The record a line holds.
   *
   * @throws IllegalArgumentException naming the problem when the line is not a record of the
   *     collection
   */
  static <E extends StoredRecord> E read(CollectionDescriptor<E> collection, String line) {
    JsonObject json;
    try (var reader = READERS.createReader(new StringReader(line))) {
      json = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
    }
    E record = collection.blankRecord();
    for (Map.Entry<String, JsonValue> member : json.entrySet()) {
      FieldDefinition field =
          collection
              .schema()
              .field(member.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no field " + member.getKey() + " in " + collection.name()));
      Object value;
      try {
        value =
            field.type() == FieldType.TIME && member.getValue() instanceof JsonString text
                ? time(text.getString())
                : field.type().fromJson(member.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field.name() + ": " + e.getMessage());
      }
      if (value == null && field.required()) {
        throw new IllegalArgumentException(field.name() + ": required, but null");
      }
      field.write(record, value);
    }
    for (FieldDefinition field : collection.schema().fields()) {
      if (field.required() && !json.containsKey(field.name())) {
        throw new IllegalArgumentException(field.name() + ": required, but missing");
      }
    }
    return record;
  }

  /**
   * Reads a time as the stored form writes it (see {@link RecordJson}), or any ISO-8601 instant.
   */
  static Instant time(String text) {
    if (text.length() == 27
        && text.charAt(4) == '-'
        && text.charAt(7) == '-'
        && text.charAt(10) == 'T'
        && text.charAt(13) == ':'
        && text.charAt(16) == ':'
        && text.charAt(19) == '.'
        && text.charAt(26) == 'Z') {
      try {
        return LocalDateTime.of(
                number(text, 0, 4),
                number(text, 5, 2),
                number(text, 8, 2),
                number(text, 11, 2),
                number(text, 14, 2),
                number(text, 17, 2),
                number(text, 20, 6) * 1000)
            .toInstant(ZoneOffset.UTC);
      } catch (DateTimeException | NumberFormatException e) {
        // not the fixed form after all: the general parser decides
      }
    }
    // Not FieldType's parse: archives may hold times from before the API kept them to the years
    // 0001-9999, and a restore must read back whatever a backup wrote.
    try {
      return Instant.parse(text).truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("must be an ISO-8601 instant, got '" + text + "'");
    }
  }

  private static int number(String text, int at, int width) {
    int value = 0;
    for (int i = at; i < at + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
