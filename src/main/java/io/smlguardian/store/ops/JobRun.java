package io.smlguardian.store.ops;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One execution of any batch job, as the status endpoint, the jobs listing and the console show it.
 *
 * @param executionId the execution's id (a restart is a new execution of the same instance)
 * @param instanceId the job instance
 * @param job the job's name, e.g. {@code retention-purge}
 * @param status the batch status: STARTING, STARTED, STOPPING, STOPPED, FAILED, COMPLETED or
 *     ABANDONED
 * @param exitStatus the job's own summary, once it ended
 * @param start null until it started
 * @param end null until it ended
 * @param steps each step's progress, in the order they ran
 */
public record JobRun(
    long executionId,
    long instanceId,
    String job,
    String status,
    String exitStatus,
    Instant start,
    Instant end,
    List<Step> steps) {

  /** The batch statuses of an execution that has ended. */
  public static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  /**
   * One step's progress so far.
   *
   * @param metrics the step's counts by Jakarta Batch metric name (READ_COUNT, WRITE_COUNT,
   *     COMMIT_COUNT...), those the runtime reports
   */
  public record Step(String name, String status, Map<String, Long> metrics) {}

  public boolean ended() {
    return ENDED.contains(status);
  }

  public JsonObject toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("executionId", executionId)
            .add("instanceId", instanceId)
            .add("job", job)
            .add("status", status)
            .add("running", !ended());
    add(json, "exitStatus", exitStatus);
    add(json, "start", start);
    add(json, "end", end);
    if (start != null) {
      Instant until = end == null ? Instant.now() : end;
      json.add("durationMs", Math.max(0, until.toEpochMilli() - start.toEpochMilli()));
    }
    JsonArrayBuilder stepsJson = Json.createArrayBuilder();
    for (Step step : steps) {
      JsonObjectBuilder metrics = Json.createObjectBuilder();
      step.metrics().forEach(metrics::add);
      stepsJson.add(
          Json.createObjectBuilder()
              .add("name", step.name())
              .add("status", step.status())
              .add("metrics", metrics));
    }
    return json.add("steps", stepsJson).build();
  }

  private static void add(JsonObjectBuilder json, String name, Object value) {
    if (value != null) {
      json.add(name, value.toString());
    }
  }
}
