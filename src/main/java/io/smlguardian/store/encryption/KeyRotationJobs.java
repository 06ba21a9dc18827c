package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.security.ReservedIdentities;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Starts and reads runs of the {@code key-rotation} job through {@link SystemJobOperator}. Two
 * rotations never run at once on one instance: a start while one runs is refused (409).
 */
@ApplicationScoped
public class KeyRotationJobs {

  public static final String JOB = "key-rotation";

  /** The startedBy of rotations the schedule starts. */
  public static final String SCHEDULER = ReservedIdentities.SCHEDULER;

  private static final Logger LOG = Logger.getLogger(KeyRotationJobs.class.getName());

  @Inject SystemJobOperator jobs;
  @Inject EncryptionConfig config;

  /**
   * Starts a rotation.
   *
   * @param retention an ISO-8601 duration no longer than KEY_RETENTION, or null for KEY_RETENTION
   * @throws InvalidRequestException for a bad retention (400)
   * @throws ClientErrorException 409 while a rotation runs
   */
  public synchronized long start(String startedBy, boolean newKek, String retention) {
    retention(retention);
    if (!running().isEmpty()) {
      throw new ClientErrorException(
          "A key rotation is running (execution "
              + running().get(0)
              + "); try again once it ended.",
          409);
    }
    Properties parameters = new Properties();
    parameters.setProperty("startedBy", startedBy);
    parameters.setProperty("newKek", Boolean.toString(newKek));
    if (retention != null && !retention.isBlank()) {
      parameters.setProperty("retention", retention.trim());
    }
    long executionId = jobs.call(operator -> operator.start(JOB, parameters));
    LOG.info(() -> "Key rotation " + executionId + " started by " + startedBy);
    return executionId;
  }

  /**
   * The retention a run keeps superseded keys for: KEY_RETENTION, or a shorter one given (an
   * operator who wants an erasure to reach old dumps sooner); never a longer one.
   */
  public Duration retention(String text) {
    if (text == null || text.isBlank()) {
      return config.retention();
    }
    List<String> problems = new ArrayList<>();
    Duration value = EncryptionConfig.duration("retention", text, problems, true);
    if (value != null && value.compareTo(config.retention()) > 0) {
      problems.add(
          "retention=" + text + " is longer than KEY_RETENTION (" + config.retention() + ")");
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(String.join("; ", problems));
    }
    return value;
  }

  /** The running rotations' execution ids. */
  public List<Long> running() {
    return jobs.call(
        operator -> {
          try {
            return operator.getRunningExecutions(JOB);
          } catch (NoSuchJobException neverRan) {
            return List.of();
          }
        });
  }

  /**
   * One rotation as operators see it: what is not known yet is left out.
   *
   * @param exitStatus the job's summary, once it ended
   * @param start null until it started
   * @param end null until it ended
   * @param result what it did (see {@link KeyRotation#rotate}), once done
   */
  @JsonbPropertyOrder({"executionId", "status", "exitStatus", "start", "end", "result"})
  public record Rotation(
      long executionId,
      String status,
      String exitStatus,
      Instant start,
      Instant end,
      JsonObject result) {}

  /** One rotation: status, exit status, times and, once done, what it did. */
  public Rotation run(long executionId) {
    JobExecution execution;
    try {
      execution = jobs.call(operator -> operator.getJobExecution(executionId));
    } catch (NoSuchJobExecutionException e) {
      throw new NotFoundException("No key rotation " + executionId + ".");
    }
    if (!JOB.equals(execution.getJobName())) {
      throw new NotFoundException("No key rotation " + executionId + ".");
    }
    JsonObject result = null;
    List<StepExecution> steps = jobs.call(operator -> operator.getStepExecutions(executionId));
    for (StepExecution step : steps) {
      if (step.getPersistentUserData() instanceof String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
          result = reader.readObject();
        }
      }
    }
    return new Rotation(
        executionId,
        execution.getBatchStatus().name(),
        execution.getExitStatus(),
        instant(execution.getStartTime()),
        instant(execution.getEndTime()),
        result);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
