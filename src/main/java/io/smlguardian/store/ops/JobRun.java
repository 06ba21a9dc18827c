package io.smlguardian.store.ops;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One execution of any batch job, as the status endpoint, the jobs listing and the console show it.
 * What is not known yet (exit status, start, end, duration) is left out of its JSON. Where a run is
 * a property of another view (the status's last backup and purge), a missing run is written as
 * null: JSON-B (Yasson) takes a property's nillability from the class of its type.
 *
 * @param executionId the execution's id (a restart is a new execution of the same instance)
 * @param instanceId the job instance
 * @param job the job's name, e.g. {@code retention-purge}
 * @param status the batch status: STARTING, STARTED, STOPPING, STOPPED, FAILED, COMPLETED or
 *     ABANDONED
 * @param running whether it has not ended yet
 * @param exitStatus the job's own summary, once it ended
 * @param start null until it started
 * @param end null until it ended
 * @param durationMs from start to end, or to now while it runs; null until it started
 * @param steps each step's progress, in the order they ran
 */
@JsonbNillable
@JsonbPropertyOrder({
  "executionId",
  "instanceId",
  "job",
  "status",
  "running",
  "exitStatus",
  "start",
  "end",
  "durationMs",
  "steps"
})
public record JobRun(
    long executionId,
    long instanceId,
    String job,
    String status,
    boolean running,
    @JsonbNillable(false) String exitStatus,
    @JsonbNillable(false) Instant start,
    @JsonbNillable(false) Instant end,
    @JsonbNillable(false) Long durationMs,
    List<Step> steps) {

  /** The batch statuses of an execution that has ended. */
  public static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  /**
   * One step's progress so far.
   *
   * @param metrics the step's counts by Jakarta Batch metric name (READ_COUNT, WRITE_COUNT,
   *     COMMIT_COUNT...), those the runtime reports
   */
  @JsonbPropertyOrder({"name", "status", "metrics"})
  public record Step(String name, String status, Map<String, Long> metrics) {}

  /** The execution as it stands now: its duration runs to now while it has not ended. */
  static JobRun of(
      long executionId,
      long instanceId,
      String job,
      String status,
      String exitStatus,
      Instant start,
      Instant end,
      List<Step> steps) {
    Long durationMs = null;
    if (start != null) {
      Instant until = end == null ? Instant.now() : end;
      durationMs = Math.max(0, until.toEpochMilli() - start.toEpochMilli());
    }
    return new JobRun(
        executionId,
        instanceId,
        job,
        status,
        !ENDED.contains(status),
        exitStatus,
        start,
        end,
        durationMs,
        steps);
  }

  public boolean ended() {
    return !running;
  }
}
