package io.smlguardian.store.collection;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A JSON object written as text, member by member, whose members may be JSON texts already: the
 * answers that carry records' views ({@link RecordView#json}), which are written once, by {@link
 * RecordJson}, and joined here as they are rather than parsed into objects to be written again.
 * Written as the JSON-P provider writes an object: no whitespace, members in the order added,
 * strings escaped as {@link RecordJson#string} escapes them.
 */
public final class JsonText {

  private final StringWriter text = new StringWriter(256);
  private boolean empty = true;

  public JsonText() {
    text.write('{');
  }

  /** Adds a string member. */
  public JsonText string(String name, String value) {
    name(name);
    try {
      RecordJson.string(value, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return this;
  }

  /** Adds a number member. */
  public JsonText number(String name, long value) {
    name(name).write(Long.toString(value));
    return this;
  }

  /** Adds a member whose value is a JSON text, as it is. */
  public JsonText json(String name, String json) {
    name(name).write(json);
    return this;
  }

  /** Adds an array member whose items are JSON texts, as they are. */
  public JsonText array(String name, List<String> items) {
    StringWriter out = name(name);
    out.write('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(items.get(i));
    }
    out.write(']');
    return this;
  }

  /** The object's text. */
  @Override
  public String toString() {
    return text + "}";
  }

  /** Writes a member's name (the caller's own, nothing to escape) and its colon. */
  private StringWriter name(String name) {
    if (!empty) {
      text.write(',');
    }
    empty = false;
    text.write('"');
    text.write(name);
    text.write("\":");
    return text;
  }
}
