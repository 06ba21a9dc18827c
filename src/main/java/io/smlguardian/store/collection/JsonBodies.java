package io.smlguardian.store.collection;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses request bodies. Resources take bodies as text and parse them here, so that malformed JSON
 * gets the same clear 400 problem everywhere instead of whatever the JSON provider throws.
 *
 * <p>Every body of the API (each collection's inserts and updates, bulk and atomic requests, the
 * privacy endpoints) passes here, so this is also where values that no backend stores alike are
 * refused, wherever they sit in the document, with the path of each: text with a NUL character
 * (PostgreSQL's text and jsonb reject it, SQLite keeps it), numbers beyond what a double can hold
 * (MongoDB cannot store all of them) and documents nested deeper than {@value #MAX_DEPTH} levels
 * (the JSON provider gives up at 1,000, stores and encoders recurse).
 */
public final class JsonBodies {

  /** The deepest nesting of arrays and objects a request body may have. */
  public static final int MAX_DEPTH = 64;

  /** At most this many refused values are listed; a body with more is refused all the same. */
  static final int MAX_ERRORS = 20;

  /** Paths are cut to this length in messages (a path 64 levels deep can be long). */
  private static final int MAX_PATH = 120;

  private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);

  private JsonBodies() {}

  public static JsonValue parse(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("The request body is empty; a JSON document is expected.");
    }
    Reading reading = new Reading(body);
    if (!reading.refused.isEmpty()) {
      throw new InvalidRequestException(
          "The request body holds values that cannot be stored: "
              + String.join("; ", reading.refused)
              + ".",
          reading.refused);
    }
    if (reading.malformed != null) {
      throw new InvalidRequestException(
          "The request body is not valid JSON: " + reading.malformed.getMessage());
    }
    return reading.value;
  }

  /**
   * The values of a JSON document that cannot be stored, each as "path: why" (the path as in {@code
   * metadata.tags[2]}, {@code [0].type} for an element of a bulk insert).
   */
  static List<String> refusedValues(String body) {
    return new Reading(body).refused;
  }

  /**
   * One pass over a body as a stream: the document built from it, and its values that cannot be
   * stored, found on the way, so that no depth or size of document costs more than that pass (a
   * check before a reader's own pass read every string twice: a sixth of what the ingest
   * allocated). A document with a refused value is not built further.
   */
  private static final class Reading {

    final List<String> refused = new ArrayList<>();

    /** Where the stream stopped being JSON (or the provider's own limits), if it did. */
    JsonException malformed;

    /** The document, when it was read whole. */
    JsonValue value;

    private final Deque<Step> path = new ArrayDeque<>();

    Reading(String body) {
      try (JsonParser parser = Jsonp.PROVIDER.createParser(new StringReader(body))) {
        while (parser.hasNext() && refused.size() < MAX_ERRORS) {
          JsonParser.Event event = parser.next();
          switch (event) {
            case KEY_NAME -> {
              path.peek().key = parser.getString();
              if (hasNul(parser.getString())) {
                refused.add(where(path) + ": the member name contains a NUL character (U+0000)");
              }
            }
            case START_OBJECT, START_ARRAY -> {
              nextElement(path);
              if (path.size() >= MAX_DEPTH) {
                refused.add(where(path) + ": nests deeper than " + MAX_DEPTH + " levels");
                return; // nothing deeper is read
              }
              path.push(new Step(event == JsonParser.Event.START_ARRAY));
            }
            case END_OBJECT, END_ARRAY -> add(path.pop().build());
            case VALUE_STRING -> {
              nextElement(path);
              String text = parser.getString();
              if (hasNul(text)) {
                refused.add(where(path) + ": contains a NUL character (U+0000)");
              }
              add(Jsonp.PROVIDER.createValue(text));
            }
            case VALUE_NUMBER -> {
              nextElement(path);
              String problem = numberProblem(parser);
              if (problem != null) {
                refused.add(where(path) + ": " + problem);
              } else {
                add(parser.getValue());
              }
            }
            case VALUE_TRUE -> {
              nextElement(path);
              add(JsonValue.TRUE);
            }
            case VALUE_FALSE -> {
              nextElement(path);
              add(JsonValue.FALSE);
            }
            default -> {
              nextElement(path);
              add(JsonValue.NULL);
            }
          }
        }
      } catch (JsonException e) {
        // JsonParsingException, or the provider's own limits; a failure of this code is not the
        // body's and goes on up as one
        malformed = e;
      }
    }

    /** A value read whole: a member or element of the one that holds it, or the document. */
    private void add(JsonValue read) {
      if (!refused.isEmpty()) {
        return; // refused: nothing of it is kept
      }
      Step holder = path.peek();
      if (holder == null) {
        value = read;
      } else if (holder.array) {
        holder.elements.add(read);
      } else {
        holder.members.add(holder.key, read);
      }
    }
  }

  /**
   * Why a number cannot be stored, or null: beyond a double's range, either way (MongoDB keeps
   * numbers as doubles or decimal128, whose range ends earlier than JSON's; PostgreSQL's would
   * not), or beyond what the JSON provider reads at all.
   */
  private static String numberProblem(JsonParser parser) {
    BigDecimal value;
    try {
      value = parser.getBigDecimal();
    } catch (RuntimeException tooLong) { // exponent overflow, over 1,100 digits
      return "the number is too long or too large to be read";
    }
    if (value.signum() == 0) {
      return null;
    }
    BigDecimal magnitude = value.abs();
    if (magnitude.compareTo(MAX_DOUBLE) > 0 || magnitude.doubleValue() == 0) {
      return "the number is beyond the range of a double (about 4.9e-324 to 1.8e308)";
    }
    return null;
  }

  static boolean hasNul(String text) {
    return text.indexOf('\0') >= 0;
  }

  /** One level of the path: an object (its current member) or an array (its current index). */
  private static final class Step {
    final boolean array;
    String key;
    int index = -1;
    final JsonArrayBuilder elements;
    final JsonObjectBuilder members;

    Step(boolean array) {
      this.array = array;
      this.elements = array ? Jsonp.PROVIDER.createArrayBuilder() : null;
      this.members = array ? null : Jsonp.PROVIDER.createObjectBuilder();
    }

    JsonValue build() {
      return array ? elements.build() : members.build();
    }
  }

  /** A value begins: in an array, it is the next element. */
  private static void nextElement(Deque<Step> path) {
    Step current = path.peek();
    if (current != null && current.array) {
      current.index++;
    }
  }

  /** The path of the current value, e.g. {@code metadata.tags[2]}; "the body" at the top. */
  private static String where(Deque<Step> path) {
    StringBuilder where = new StringBuilder();
    var steps = path.descendingIterator();
    while (steps.hasNext()) {
      Step step = steps.next();
      if (step.array) {
        where.append('[').append(step.index).append(']');
      } else if (step.key != null) {
        where.append(where.length() == 0 ? "" : ".").append(step.key);
      }
    }
    if (where.length() == 0) {
      return "the body";
    }
    String shown = where.toString().replace("\0", "\\u0000");
    return shown.length() <= MAX_PATH ? shown : shown.substring(0, MAX_PATH) + "...";
  }

  public static JsonObject object(String body) {
    return asObject(parse(body), "The request body");
  }

  public static JsonObject asObject(JsonValue value, String what) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidRequestException(what + " must be a JSON object.");
    }
    return value.asJsonObject();
  }

  /** The objects of an array; every element must be an object. */
  public static List<JsonObject> objects(JsonArray array, String what) {
    List<JsonObject> objects = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      objects.add(asObject(array.get(i), what + "[" + i + "]"));
    }
    return objects;
  }
}
