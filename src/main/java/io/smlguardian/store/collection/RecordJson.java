package io.smlguardian.store.collection;

import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes a record as one JSON object, by hand, field by field in its schema's order: the one
 * mechanism that writes records as JSON text, for the API's answers as for the bulk paths, which
 * write millions of them and for which building a JSON-P object per record, then a string of it,
 * cost more than the rest of their work together. It writes two forms:
 *
 * <ul>
 *   <li>{@link #writeStored the stored form} (backup archives): sealed fields as the sealed text
 *       they are stored as, times with a fixed six fraction digits;
 *   <li>{@link #writeView the API's view} (the API's answers, exports): sealed fields opened, every
 *       value exactly as the JSON-P provider writes the value the schema's {@link FieldType} gives
 *       it, character for character (times as {@link Instant#toString()}, numbers as the provider
 *       writes a double, strings escaped as the provider escapes them), the form the API answered
 *       when it built JSON-P objects, and in which an export reads as the API answers;
 *   <li>{@link #writeProviderForm the provider's form of the stored values} (the ingest journal):
 *       as the view, but with no field opened.
 * </ul>
 */
public final class RecordJson {

  /**
   * Opens a protected field's stored value for the view; also given the users a record of several
   * names ({@link RecordOwner#NAMED_OWNERS_FIELD}), to show them as the viewer may see them.
   */
  @FunctionalInterface
  public interface Opener {
    JsonValue open(FieldDefinition field, JsonValue stored);
  }

  private RecordJson() {}

  /** The record in its stored form: sealed fields sealed, times fixed-width. */
  public static void writeStored(
      CollectionDescriptor<?> collection, StoredRecord record, Writer out) throws IOException {
    write(collection, record, List.of(), null, out);
  }

  /**
   * The record in its stored form as the JSON-P provider writes the values the schema's {@link
   * FieldType}s give it ({@link FieldType#toJson}), character for character: sealed fields sealed,
   * times as {@link Instant#toString()}, numbers as the provider writes a double. The ingest
   * journal's form of a record, which the provider wrote before (a fifth of an ingest request's
   * CPU, with the entry around it, in a profile of the ingest benchmark).
   */
  public static void writeProviderForm(
      CollectionDescriptor<?> collection, StoredRecord record, Writer out) throws IOException {
    write(collection, record, List.of(), AS_STORED, out);
  }

  /** Leaves every value as stored: the view's forms of times and numbers, nothing opened. */
  private static final Opener AS_STORED = (field, stored) -> stored;

  /** Whether the field is where a record of the collection names its several owners. */
  static boolean namesOwners(CollectionDescriptor<?> collection, FieldDefinition field) {
    return collection.ownerTable().isPresent()
        && field.name().equals(RecordOwner.NAMED_OWNERS_FIELD);
  }

  /**
   * The record as the API shows it: every field, or only those the projection names (in the
   * schema's order whatever the projection's), the value of each protected field (see {@link
   * FieldProtection#isProtected}) passed through the opener.
   *
   * @param projection the fields to write; empty for every field
   */
  public static void writeView(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      Opener opener,
      Writer out)
      throws IOException {
    write(collection, record, projection, opener, out);
  }

  /**
   * The view of a projection cut from the view of every field this class wrote: the projected
   * fields' members taken from its text as they are, in its (the schema's) order. This is what
   * {@link #writeView} writes for that projection, character for character, since it writes each
   * member alike whatever else it writes; no value is read or written again.
   *
   * @param view the text {@link #writeView} wrote without a projection
   * @param projection the fields to keep; empty for every field
   */
  public static String project(String view, List<String> projection) {
    if (projection.isEmpty()) {
      return view;
    }
    StringBuilder projected = new StringBuilder(view.length()).append('{');
    int member = 1; // after the opening brace; each member is "name":value
    while (member < view.length() - 1) {
      int nameEnd = view.indexOf('"', member + 1); // a name is a Java identifier: no escapes
      int end = valueEnd(view, nameEnd + 2);
      if (projection.contains(view.substring(member + 1, nameEnd))) {
        if (projected.length() > 1) {
          projected.append(',');
        }
        projected.append(view, member, end);
      }
      member = end + 1;
    }
    return projected.append('}').toString();
  }

  /** Where the value starting at {@code from} ends: the comma or closing brace after it. */
  private static int valueEnd(String view, int from) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < view.length(); i++) {
      char c = view.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a record's view: " + view);
  }

  /** The view, of the projected fields, when there is an opener; else the stored form. */
  private static void write(
      CollectionDescriptor<?> collection,
      StoredRecord record,
      List<String> projection,
      Opener opener,
      Writer out)
      throws IOException {
    out.write('{');
    boolean first = true;
    for (FieldDefinition field : collection.schema().fields()) {
      if (!projection.isEmpty() && !projection.contains(field.name())) {
        continue;
      }
      if (!first) {
        out.write(',');
      }
      first = false;
      out.write('"');
      out.write(field.name()); // a Java identifier: nothing to escape
      out.write("\":");
      Object value = field.read(record);
      if (value == null) {
        out.write("null");
        continue;
      }
      switch (field.type()) {
        case TEXT -> string((String) value, out);
        case NUMBER -> number((Double) value, opener != null, out);
        case INTEGER, BOOLEAN -> out.write(value.toString());
        case TIME -> {
          if (opener == null) {
            fixedTime((Instant) value, out);
          } else {
            time((Instant) value, out);
          }
        }
        case UUID -> {
          out.write('"');
          out.write(value.toString());
          out.write('"');
        }
        case JSON -> {
          JsonValue json = (JsonValue) value;
          if (opener != null
              && json != JsonValue.NULL
              && (FieldProtection.isProtected(collection, field)
                  || namesOwners(collection, field))) {
            json = opener.open(field, json);
          }
          out.write(json == null ? "null" : json.toString());
        }
        default -> throw new IllegalStateException("no JSON form for " + field.type());
      }
    }
    out.write('}');
  }

  /**
   * A double: in the view as the JSON-P provider writes the one {@link FieldType#NUMBER} gives
   * ({@link BigDecimal#valueOf(double)}'s text, e.g. {@code 1.0E+20}, {@code 0.000010}); stored as
   * {@link Double#toString} writes it. Both read back to the same double.
   */
  private static void number(Double value, boolean view, Writer out) throws IOException {
    out.write(view ? BigDecimal.valueOf(value).toString() : value.toString());
  }

  /**
   * A JSON string, escaped as the JSON-P provider escapes it: quotes and backslashes, the control
   * characters with a short form as that form ({@code \b \f \n \r \t}), the others as {@code
   * \}{@code u00xx}.
   */
  public static void string(String text, Writer out) throws IOException {
    out.write('"');
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        out.write(text, start, i - start);
        switch (c) {
          case '"' -> out.write("\\\"");
          case '\\' -> out.write("\\\\");
          case '\b' -> out.write("\\b");
          case '\f' -> out.write("\\f");
          case '\n' -> out.write("\\n");
          case '\r' -> out.write("\\r");
          case '\t' -> out.write("\\t");
          default -> {
            out.write("\\u00");
            out.write(Character.forDigit(c >> 4, 16));
            out.write(Character.forDigit(c & 0xf, 16));
          }
        }
        start = i + 1;
      }
    }
    out.write(text, start, text.length() - start);
    out.write('"');
  }

  /**
   * A time as {@link Instant#toString()} writes it (the API's form: the fraction in groups of three
   * digits, none when zero), without its formatter for the years 0001 to 9999.
   */
  private static void time(Instant instant, Writer out) throws IOException {
    int nano = instant.getNano();
    int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
    if (!written(instant, digits, out)) {
      out.write('"');
      out.write(instant.toString());
      out.write('"');
    }
  }

  /**
   * A time as ISO-8601 in UTC with six fraction digits, e.g. {@code "2026-11-26T06:15:00.123456Z"}:
   * the archives' fixed-width form. Other instants (nanoseconds, years beyond four digits) are
   * written by {@code Instant.toString()}.
   */
  private static void fixedTime(Instant instant, Writer out) throws IOException {
    if (instant.getNano() % 1000 != 0 || !written(instant, 6, out)) {
      out.write('"');
      out.write(instant.toString());
      out.write('"');
    }
  }

  /**
   * Writes the quoted time with {@code digits} fraction digits (0, 3, 6 or 9, the fraction's
   * leading ones), if its year has four digits; false, having written nothing, if not.
   */
  private static boolean written(Instant instant, int digits, Writer out) throws IOException {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (utc.getYear() < 1 || utc.getYear() > 9999) {
      return false;
    }
    char[] text = new char[digits == 0 ? 22 : 23 + digits];
    text[0] = '"';
    digits(text, 1, utc.getYear(), 4);
    text[5] = '-';
    digits(text, 6, utc.getMonthValue(), 2);
    text[8] = '-';
    digits(text, 9, utc.getDayOfMonth(), 2);
    text[11] = 'T';
    digits(text, 12, utc.getHour(), 2);
    text[14] = ':';
    digits(text, 15, utc.getMinute(), 2);
    text[17] = ':';
    digits(text, 18, utc.getSecond(), 2);
    int at = 20;
    if (digits > 0) {
      text[at++] = '.';
      int fraction = instant.getNano();
      for (int drop = 9; drop > digits; drop--) {
        fraction /= 10;
      }
      digits(text, at, fraction, digits);
      at += digits;
    }
    text[at++] = 'Z';
    text[at] = '"';
    out.write(text);
    return true;
  }

  private static void digits(char[] text, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
