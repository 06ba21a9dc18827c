package io.smlguardian.store.testsupport;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.OwnedRecord;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * A valid record of each collection, as a client would send it, and a change of one of its mutable
 * fields: the fixtures that let one test cover every collection. The seed's eight have samples
 * written here; any other collection gets one generated from its schema.
 */
public final class Samples {

  private static final CollectionRegistry REGISTRY = RegisteredCollections.registry();

  /** The collections' names, as the application registers them. */
  public static final List<String> COLLECTIONS =
      REGISTRY.all().stream().map(CollectionDescriptor::name).toList();

  /**
   * Every table a backup holds: the store's own (the record of erasures, legal holds, the legacy
   * audit chain heads, the audit ledger's blocks and state), then the eight collections. Never
   * users' data keys.
   */
  public static final List<String> BACKUP_TABLES =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "erasures", "legal_holds", "audit_chains", "audit_blocks", "audit_ledger"),
              COLLECTIONS.stream())
          .toList();

  /** The collections callers write through the API: all but the audit trail, the store's own. */
  public static final List<String> WRITABLE =
      COLLECTIONS.stream().filter(c -> !c.equals("access_logs")).toList();

  private Samples() {}

  /** A valid new record of the collection, owned by the user (ignored for metrics). */
  public static JsonObject record(String collection, String userId) {
    CollectionDescriptor<?> descriptor = REGISTRY.get(collection);
    String time = "2026-11-20T10:15:30.123456Z";
    var json =
        switch (collection) {
          case "memories" ->
              Json.createObjectBuilder()
                  .add("type", "success_pattern")
                  .add("strength", 0.8)
                  .add("patterns", Json.createArrayBuilder().add("calm-after-walk").add("tea"))
                  .add("metadata", Json.createObjectBuilder().add("source", "dream").add("n", 3))
                  .add("timestamp", time);
          case "dream_cycles" ->
              Json.createObjectBuilder()
                  .add("cycleId", "cycle-" + userId)
                  .add("schedule", "nightly")
                  .add("memories", Json.createArrayBuilder().add("m1").add("m2"))
                  .add(
                      "simulations",
                      Json.createArrayBuilder()
                          .add(Json.createObjectBuilder().add("outcome", "ok")))
                  .add("insights", Json.createObjectBuilder().add("summary", "rest helps"))
                  .add("timestamp", time);
          case "profile_snapshots" ->
              Json.createObjectBuilder()
                  .add("snapshotId", "snap-" + userId)
                  .add(
                      "dimensions",
                      Json.createObjectBuilder().add("openness", 0.7).add("focus", 0.4))
                  .add("evolutionScore", 0.42)
                  .add("insights", Json.createArrayBuilder().add("more curious"))
                  .add("timestamp", time);
          case "emotional_states" ->
              Json.createObjectBuilder()
                  .add("emotion", "joy")
                  .add("intensity", 0.6)
                  .add("stability", 0.9)
                  .add("timestamp", time);
          case "interactions" ->
              Json.createObjectBuilder()
                  .add("sessionId", "session-" + userId)
                  .add("type", "chat")
                  .add("responseTime", 12.5)
                  .add("agentMode", "mirror")
                  .add("timestamp", time);
          case "sessions" ->
              Json.createObjectBuilder()
                  .add("sessionId", "session-" + userId)
                  .add("startTime", time)
                  .add("metadata", Json.createObjectBuilder().add("device", "phone"));
          case "access_logs" ->
              Json.createObjectBuilder()
                  .add("accessType", "read")
                  .add("timestamp", time)
                  .add("ipAddress", "10.1.2.3")
                  .add("success", true)
                  .add("reason", "export");
          case "metrics" ->
              Json.createObjectBuilder()
                  .add("agentPerformance", Json.createObjectBuilder().add("p50", 12))
                  .add("cacheStats", Json.createObjectBuilder().add("hits", 10).add("misses", 2))
                  .add("timestamp", time);
          default -> generated(descriptor, time);
        };
    if (descriptor.owned()) {
      json.add(OwnedRecord.OWNER_FIELD, userId);
    }
    return json.build();
  }

  /** A change of one mutable field of the collection's sample record. */
  public static JsonObject change(String collection) {
    var json = Json.createObjectBuilder();
    switch (collection) {
      case "memories" -> json.add("strength", 0.95);
      case "dream_cycles" -> json.add("schedule", "weekly");
      case "profile_snapshots" -> json.add("evolutionScore", 0.5);
      case "emotional_states" -> json.add("intensity", 0.1);
      case "interactions" -> json.add("agentMode", "balancer");
      case "sessions" -> json.add("endTime", "2026-11-20T11:00:00Z");
      case "access_logs" -> json.add("reason", "audit");
      case "metrics" -> json.add("cacheStats", Json.createObjectBuilder().add("hits", 11));
      default -> {
        CollectionDescriptor<?> descriptor = REGISTRY.get(collection);
        FieldDefinition field =
            descriptor.schema().fields().stream()
                .filter(FieldDefinition::writableOnUpdate)
                .filter(f -> !f.name().equals(descriptor.timeField()))
                .filter(f -> f.type() != FieldType.TIME)
                .findFirst()
                .orElseThrow(
                    () -> new IllegalArgumentException(collection + " has no mutable field"));
        json.add(field.name(), json(GeneratedRecords.value(field.type())));
      }
    }
    return json.build();
  }

  /**
   * A record of a collection without a sample of its own, generated from its schema: every field a
   * client may write (but the owner), the record's time at {@code time}, any other time later.
   */
  private static JsonObjectBuilder generated(CollectionDescriptor<?> descriptor, String time) {
    JsonObjectBuilder json = Json.createObjectBuilder();
    for (FieldDefinition field : descriptor.schema().fields()) {
      if (!field.writableOnInsert() || field.name().equals(OwnedRecord.OWNER_FIELD)) {
        continue;
      }
      if (field.name().equals(descriptor.timeField())) {
        json.add(field.name(), time);
      } else if (field.type() == FieldType.TIME) {
        json.add(field.name(), GeneratedRecords.LATER.toString());
      } else {
        json.add(field.name(), json(GeneratedRecords.value(field.type())));
      }
    }
    return json;
  }

  /** A generated value (see {@link GeneratedRecords#value}) as the API takes it. */
  private static JsonValue json(Object value) {
    if (value instanceof JsonValue json) {
      return json;
    } else if (value instanceof Double number) {
      return Json.createValue(number);
    } else if (value instanceof Long number) {
      return Json.createValue(number);
    } else if (value instanceof Boolean bool) {
      return bool ? JsonValue.TRUE : JsonValue.FALSE;
    }
    return Json.createValue(value.toString()); // text, uuid
  }
}
