package io.smlguardian.store.collection;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;

/**
 * JSON-B, created once, for the fixed-shape views (records) that are written as text elsewhere than
 * in a REST answer, e.g. a receipt in the audit trail: the same default configuration as the
 * server's JSON-B that writes the views resources return, so that a view reads the same in both.
 * Thread-safe; kept for the application's life.
 */
public final class ViewJson {

  private static final Jsonb JSONB = JsonbBuilder.create();

  private ViewJson() {}

  public static String toJson(Object view) {
    return JSONB.toJson(view);
  }

  /** The view as a JSON-P object, for a document that is assembled with JSON-P around it. */
  public static JsonObject toJsonObject(Object view) {
    try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(toJson(view)))) {
      return reader.readObject();
    }
  }
}
