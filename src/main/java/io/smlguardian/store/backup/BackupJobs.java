package io.smlguardian.store.backup;

import io.smlguardian.store.backup.archive.BackupException;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.security.ReservedIdentities;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.StepExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Starts and lists runs of the {@code backup} and {@code restore} jobs through Jakarta Batch's
 * {@link JobOperator}. Backups and restores never overlap, with themselves or each other: a start
 * while one runs is refused (the check and the start are one step for every caller of this
 * instance). No transaction is open here: the jobs open their own. The calls go through {@link
 * SystemJobOperator}, as the store's batch identity, whoever asks.
 */
@ApplicationScoped
public class BackupJobs {

  public static final String BACKUP = "backup";
  public static final String RESTORE = "restore";

  /** The startedBy of backups the schedule takes. */
  public static final String SCHEDULER = ReservedIdentities.SCHEDULER;

  static final String STARTED_BY = "startedBy";
  static final String BACKUP_ID = "backupId";
  static final String REPLACE = "replace";
  static final String FORCE = "force";
  static final String ALLOW_UNENCRYPTED = "allowUnencrypted";

  private static final Logger LOG = Logger.getLogger(BackupJobs.class.getName());

  @Inject SystemJobOperator jobs;

  /**
   * One run of either job, as the API shows it; what is not known (yet) is left out of its JSON.
   *
   * @param startedBy who started it
   * @param backupId the backup restored (a backup's own id is in its result)
   * @param replace whether a restore replaces the store; null for a backup
   * @param result what it did, once it did it: the backup's summary, or the restore's report
   */
  @JsonbPropertyOrder({
    "executionId",
    "job",
    "status",
    "exitStatus",
    "startedBy",
    "backupId",
    "replace",
    "start",
    "end",
    "result"
  })
  public record Run(
      long executionId,
      String job,
      String status,
      String exitStatus,
      String startedBy,
      String backupId,
      Boolean replace,
      Instant start,
      Instant end,
      JsonObject result) {

    static Run of(JobExecution execution, JsonObject result) {
      Properties parameters = execution.getJobParameters();
      return new Run(
          execution.getExecutionId(),
          execution.getJobName(),
          execution.getBatchStatus().name(),
          execution.getExitStatus(),
          parameter(parameters, STARTED_BY),
          parameter(parameters, BACKUP_ID),
          RESTORE.equals(execution.getJobName()) && parameters != null
              ? Boolean.parseBoolean(parameters.getProperty(REPLACE))
              : null,
          execution.getStartTime() == null ? null : execution.getStartTime().toInstant(),
          execution.getEndTime() == null ? null : execution.getEndTime().toInstant(),
          result);
    }

    private static String parameter(Properties parameters, String name) {
      return parameters == null ? null : parameters.getProperty(name);
    }
  }

  public synchronized long startBackup(String startedBy) {
    refuseOverlap();
    Properties parameters = new Properties();
    parameters.setProperty(STARTED_BY, startedBy);
    long executionId = jobs.call(operator -> operator.start(BACKUP, parameters));
    LOG.info(() -> "Backup job " + executionId + " started by " + startedBy);
    return executionId;
  }

  public synchronized long startRestore(
      BackupId id, boolean replace, boolean force, boolean allowUnencrypted, String startedBy) {
    refuseOverlap();
    Properties parameters = new Properties();
    parameters.setProperty(STARTED_BY, startedBy);
    parameters.setProperty(BACKUP_ID, id.value());
    parameters.setProperty(REPLACE, Boolean.toString(replace));
    parameters.setProperty(FORCE, Boolean.toString(force));
    parameters.setProperty(ALLOW_UNENCRYPTED, Boolean.toString(allowUnencrypted));
    long executionId = jobs.call(operator -> operator.start(RESTORE, parameters));
    LOG.info(
        () ->
            "Restore job "
                + executionId
                + " of "
                + id
                + (replace ? " (replace)" : "")
                + (force ? " (force)" : "")
                + (allowUnencrypted ? " (allowUnencrypted)" : "")
                + " started by "
                + startedBy);
    return executionId;
  }

  /** Asks a running backup to stop; its partial archive is deleted. Restores are not stopped. */
  public void stop(long executionId) {
    Run run = run(executionId);
    if (!BACKUP.equals(run.job())) {
      throw BackupException.conflict(
          "Restore "
              + executionId
              + " cannot be stopped: a restore stopped halfway leaves part of a backup; let it"
              + " finish, then restore again with replace=true if needed.");
    }
    try {
      jobs.run(operator -> operator.stop(executionId));
    } catch (JobExecutionNotRunningException e) {
      throw BackupException.conflict("Backup job " + executionId + " is not running.");
    }
  }

  /** The most recent runs of both jobs, newest first. */
  public List<Run> runs(int max) {
    return jobs.call(operator -> runs(operator, max));
  }

  private static List<Run> runs(JobOperator operator, int max) {
    List<Run> runs = new ArrayList<>();
    for (String job : List.of(BACKUP, RESTORE)) {
      if (!operator.getJobNames().contains(job)) {
        continue;
      }
      for (JobInstance instance : operator.getJobInstances(job, 0, max)) {
        for (JobExecution execution : operator.getJobExecutions(instance)) {
          runs.add(view(operator, execution));
        }
      }
    }
    runs.sort(Comparator.comparingLong(Run::executionId).reversed());
    return runs.size() > max ? runs.subList(0, max) : runs;
  }

  /** One run; 404 when no backup or restore job has that execution id. */
  public Run run(long executionId) {
    try {
      return jobs.call(
              operator -> {
                JobExecution execution = operator.getJobExecution(executionId);
                return BACKUP.equals(execution.getJobName())
                        || RESTORE.equals(execution.getJobName())
                    ? Optional.of(view(operator, execution))
                    : Optional.<Run>empty();
              })
          .orElseThrow(
              () ->
                  BackupException.notFound(
                      "No backup or restore job has execution id " + executionId + "."));
    } catch (NoSuchJobExecutionException e) {
      throw BackupException.notFound(
          "No backup or restore job has execution id " + executionId + ".");
    }
  }

  private void refuseOverlap() {
    for (String job : List.of(BACKUP, RESTORE)) {
      List<Long> running =
          jobs.call(
              operator ->
                  operator.getJobNames().contains(job)
                      ? operator.getRunningExecutions(job)
                      : List.of());
      if (!running.isEmpty()) {
        throw BackupException.conflict(
            "A "
                + job
                + " is in progress (execution "
                + running.get(0)
                + "); backups and restores never overlap. Wait for it to end.");
      }
    }
  }

  private static Run view(JobOperator operator, JobExecution execution) {
    JsonObject result = null;
    for (StepExecution step : operator.getStepExecutions(execution.getExecutionId())) {
      if (step.getPersistentUserData() instanceof String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
          result = reader.readObject();
        }
      }
    }
    return Run.of(execution, result);
  }
}
