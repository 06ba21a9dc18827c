package io.smlguardian.store.transaction;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.JsonBodies;
import io.smlguardian.store.collection.JsonText;
import io.smlguardian.store.collection.RecordService;
import io.smlguardian.store.collection.RecordView;
import io.smlguardian.store.security.Caller;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.UUID;

/**
 * One write of an atomic request: an insert, an update or a delete on any collection.
 *
 * <pre>
 * {"op": "insert", "collection": "memories", "record": {...}}
 * {"op": "update", "collection": "memories", "id": "...", "version": 3, "changes": {...}}
 * {"op": "delete", "collection": "memories", "id": "...", "version": 3}
 * </pre>
 *
 * The version is optional, as If-Match is on the single-record endpoints.
 */
public sealed interface AtomicOperation {

  String collection();

  /** Carries the operation out and says what it did, as one element of the response. */
  Result apply(RecordService records, Caller caller);

  /**
   * What one operation did.
   *
   * @param version the record's version after it, null for a delete
   * @param record the record's JSON text after it (see {@link RecordView#json}), null for a delete
   */
  record Result(String op, String collection, UUID id, Long version, String record) {

    static Result of(String op, String collection, RecordView view) {
      return new Result(op, collection, view.id(), view.version(), view.json());
    }

    /**
     * As one element of the response: {@code {"op", "collection", "id", "version", "record"}}, the
     * record's text as it is, version and record left out for a delete.
     */
    String json() {
      JsonText json =
          new JsonText()
              .string("op", op)
              .string("collection", collection)
              .string("id", id.toString());
      if (version != null) {
        json.number("version", version);
      }
      if (record != null) {
        json.json("record", record);
      }
      return json.toString();
    }
  }

  /** A short description for error messages, e.g. "update memories 5f...". */
  String describe();

  record Insert(String collection, JsonObject record) implements AtomicOperation {
    @Override
    public Result apply(RecordService records, Caller caller) {
      return Result.of("insert", collection, records.insert(caller, collection, record));
    }

    @Override
    public String describe() {
      return "insert " + collection;
    }
  }

  record Update(String collection, UUID id, Long version, JsonObject changes)
      implements AtomicOperation {
    @Override
    public Result apply(RecordService records, Caller caller) {
      return Result.of(
          "update", collection, records.update(caller, collection, id, version, changes));
    }

    @Override
    public String describe() {
      return "update " + collection + " " + id;
    }
  }

  record Delete(String collection, UUID id, Long version) implements AtomicOperation {
    @Override
    public Result apply(RecordService records, Caller caller) {
      records.delete(caller, collection, id, version);
      return new Result("delete", collection, id, null, null);
    }

    @Override
    public String describe() {
      return "delete " + collection + " " + id;
    }
  }

  /** Reads one operation of a request body; {@code where} names it in error messages. */
  static AtomicOperation parse(JsonValue json, String where) {
    JsonObject op = JsonBodies.asObject(json, where);
    String kind = text(op, "op", where);
    String collection = text(op, "collection", where);
    return switch (kind) {
      case "insert" -> {
        only(op, Set.of("op", "collection", "record"), where);
        yield new Insert(collection, object(op, "record", where));
      }
      case "update" -> {
        only(op, Set.of("op", "collection", "id", "version", "changes"), where);
        yield new Update(
            collection, id(op, where), version(op, where), object(op, "changes", where));
      }
      case "delete" -> {
        only(op, Set.of("op", "collection", "id", "version"), where);
        yield new Delete(collection, id(op, where), version(op, where));
      }
      default ->
          throw new InvalidRequestException(
              where + ".op must be insert, update or delete, got '" + kind + "'.");
    };
  }

  private static void only(JsonObject op, Set<String> allowed, String where) {
    for (String key : op.keySet()) {
      if (!allowed.contains(key)) {
        throw new InvalidRequestException(
            where + " has an unexpected member '" + key + "'; allowed: " + allowed + ".");
      }
    }
  }

  private static String text(JsonObject op, String member, String where) {
    if (op.get(member) instanceof JsonString s) {
      return s.getString();
    }
    throw new InvalidRequestException(where + "." + member + " must be a string.");
  }

  private static JsonObject object(JsonObject op, String member, String where) {
    JsonValue value = op.get(member);
    if (value == null) {
      throw new InvalidRequestException(where + "." + member + " is missing.");
    }
    return JsonBodies.asObject(value, where + "." + member);
  }

  private static UUID id(JsonObject op, String where) {
    try {
      return UUID.fromString(text(op, "id", where));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(where + ".id must be a UUID.");
    }
  }

  private static Long version(JsonObject op, String where) {
    JsonValue value = op.get("version");
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (value instanceof JsonNumber n && n.isIntegral()) {
      return n.longValue();
    }
    throw new InvalidRequestException(where + ".version must be an integer.");
  }
}
