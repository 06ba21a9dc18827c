package io.smlguardian.store.retention;

import io.smlguardian.store.retention.batch.PurgeTotals;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/**
 * One run (job execution) of the retention job, as operators see it.
 *
 * @param executionId the run's id: restarting it yields a new run of the same instance
 * @param instanceId the job instance: a run and its restarts
 * @param status STARTING, STARTED, STOPPING, STOPPED, FAILED, COMPLETED or ABANDONED
 * @param exitStatus the job's summary, once it ended
 * @param startedBy who started it: an operator or the scheduler
 * @param start null until it started
 * @param end null until it ended
 * @param totals what it did per collection, null before the first chunk
 */
public record RetentionRun(
    long executionId,
    long instanceId,
    String status,
    String exitStatus,
    String startedBy,
    boolean dryRun,
    String asOf,
    Instant start,
    Instant end,
    PurgeTotals totals) {

  public boolean running() {
    return switch (status) {
      case "STARTING", "STARTED", "STOPPING" -> true;
      default -> false;
    };
  }

  public JsonObject toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("executionId", executionId)
            .add("instanceId", instanceId)
            .add("status", status)
            .add("dryRun", dryRun);
    add(json, "exitStatus", exitStatus);
    add(json, "startedBy", startedBy);
    add(json, "asOf", asOf);
    add(json, "start", start);
    add(json, "end", end);
    (totals == null ? new PurgeTotals() : totals).toJson().build().forEach(json::add);
    return json.build();
  }

  private static void add(JsonObjectBuilder json, String name, Object value) {
    if (value != null) {
      json.add(name, value.toString());
    }
  }
}
