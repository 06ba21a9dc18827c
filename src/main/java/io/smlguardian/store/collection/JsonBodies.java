package io.smlguardian.store.collection;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses request bodies. Resources take bodies as text and parse them here, so that malformed JSON
 * gets the same clear 400 problem everywhere instead of whatever the JSON provider throws.
 */
public final class JsonBodies {

  private JsonBodies() {}

  public static JsonValue parse(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("The request body is empty; a JSON document is expected.");
    }
    try (var reader = Jsonp.PROVIDER.createReader(new StringReader(body))) {
      return reader.readValue();
    } catch (JsonException e) {
      throw new InvalidRequestException("The request body is not valid JSON: " + e.getMessage());
    }
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
