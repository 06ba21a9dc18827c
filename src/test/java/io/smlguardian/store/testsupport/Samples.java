package io.smlguardian.store.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * A valid record of each collection, as a client would send it, and a change of one of its mutable
 * fields: the fixtures that let one test cover all eight collections.
 */
public final class Samples {

  /** The eight collections' names. */
  public static final List<String> COLLECTIONS =
      List.of(
          "memories",
          "dream_cycles",
          "profile_snapshots",
          "emotional_states",
          "interactions",
          "sessions",
          "access_logs",
          "metrics");

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
          default -> throw new IllegalArgumentException(collection);
        };
    if (!collection.equals("metrics")) {
      json.add("userId", userId);
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
      default -> throw new IllegalArgumentException(collection);
    }
    return json.build();
  }
}
