package io.smlguardian.store.retention;

import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.retention.batch.LiveTotals;
import io.smlguardian.store.retention.batch.PurgeJob;
import io.smlguardian.store.retention.batch.PurgeTotals;
import io.smlguardian.store.security.ReservedIdentities;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.StepExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Starts, stops, restarts and lists runs of the retention job through Jakarta Batch's {@link
 * JobOperator}. Two runs never overlap: a start or restart while one is in progress is refused (the
 * check and the start are one step for every caller of this instance, and the job's listener
 * refuses any other overlapping start). No transaction is open here: the job runs in its own. The
 * calls go through {@link SystemJobOperator}, as the store's batch identity, whoever asks.
 */
@ApplicationScoped
public class RetentionJobs {

  /** The startedBy of runs the schedule starts. */
  public static final String SCHEDULER = ReservedIdentities.SCHEDULER;

  private static final Logger LOG = Logger.getLogger(RetentionJobs.class.getName());

  private RetentionConfig config;
  private LiveTotals live;
  private SystemJobOperator jobs;
  private Maintenance maintenance;

  protected RetentionJobs() {}

  @Inject
  public RetentionJobs(
      RetentionConfig config, LiveTotals live, SystemJobOperator jobs, Maintenance maintenance) {
    this.config = config;
    this.live = live;
    this.jobs = jobs;
    this.maintenance = maintenance;
  }

  /**
   * Starts a run with every collection's cutoff fixed now.
   *
   * @param startedBy who asks: an operator's name, or {@link #SCHEDULER}
   * @param chunkSize records per delete, or null for the configured size
   * @return the run's execution id
   */
  public synchronized long start(String startedBy, boolean dryRun, Integer chunkSize) {
    int chunk = chunkSize == null ? config.chunkSize() : chunkSize;
    if (chunk < 1 || chunk > RetentionConfig.MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunkSize must be from 1 to " + RetentionConfig.MAX_CHUNK_SIZE);
    }
    maintenance.refuseDuring("the retention purge");
    refuseOverlap();
    Instant asOf = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, Instant> cutoffs = new LinkedHashMap<>();
    config.policies().forEach(p -> cutoffs.put(p.collection(), p.cutoff(asOf)));
    Properties parameters = new Properties();
    parameters.setProperty(PurgeJob.AS_OF, asOf.toString());
    parameters.setProperty(PurgeJob.CUTOFFS, PurgeJob.formatCutoffs(cutoffs));
    parameters.setProperty(PurgeJob.DRY_RUN, Boolean.toString(dryRun));
    parameters.setProperty(PurgeJob.CHUNK_SIZE, Integer.toString(chunk));
    parameters.setProperty(PurgeJob.THREADS, Integer.toString(config.threads()));
    parameters.setProperty(PurgeJob.STARTED_BY, startedBy);
    long executionId = jobs.call(operator -> operator.start(PurgeJob.NAME, parameters));
    LOG.info(
        () ->
            "Retention run "
                + executionId
                + " started by "
                + startedBy
                + (dryRun ? " (dry run)" : "")
                + " as of "
                + asOf);
    return executionId;
  }

  /** Asks a running run to stop after its current chunks; it can then be restarted. */
  public void stop(long executionId) {
    run(executionId);
    try {
      jobs.run(operator -> operator.stop(executionId));
    } catch (JobExecutionNotRunningException e) {
      throw RetentionRunException.conflict("Retention run " + executionId + " is not running.");
    }
  }

  /**
   * Restarts a stopped or failed run where its checkpoints left off, with its original parameters
   * (so the same cutoffs), as a new run of the same instance.
   *
   * @param startedBy who asks; the restarted run's receipt names them
   * @return the new run's execution id
   */
  public synchronized long restart(long executionId, String startedBy) {
    run(executionId);
    refuseOverlap();
    Properties parameters = jobs.call(operator -> operator.getParameters(executionId));
    parameters.setProperty(PurgeJob.STARTED_BY, startedBy);
    try {
      return jobs.call(operator -> operator.restart(executionId, parameters));
    } catch (JobExecutionAlreadyCompleteException e) {
      throw RetentionRunException.conflict(
          "Retention run " + executionId + " completed; there is nothing to restart.");
    } catch (JobExecutionNotMostRecentException e) {
      throw RetentionRunException.conflict(
          "Retention run "
              + executionId
              + " was restarted already; restart its most recent run instead.");
    } catch (JobRestartException e) {
      throw RetentionRunException.conflict(
          "Retention run " + executionId + " cannot be restarted: " + e.getMessage());
    }
  }

  /** The most recent runs, newest first. */
  public List<RetentionRun> runs(int max) {
    return jobs.call(operator -> runs(operator, max));
  }

  private List<RetentionRun> runs(JobOperator operator, int max) {
    List<RetentionRun> runs = new ArrayList<>();
    if (!operator.getJobNames().contains(PurgeJob.NAME)) {
      return runs;
    }
    List<JobInstance> instances = operator.getJobInstances(PurgeJob.NAME, 0, max);
    for (JobInstance instance : instances) {
      for (JobExecution execution : operator.getJobExecutions(instance)) {
        runs.add(view(operator, execution, instance.getInstanceId()));
      }
    }
    runs.sort(Comparator.comparingLong(RetentionRun::executionId).reversed());
    return runs.size() > max ? runs.subList(0, max) : runs;
  }

  public RetentionRun run(long executionId) {
    try {
      return jobs.call(
              operator -> {
                JobExecution execution = operator.getJobExecution(executionId);
                return PurgeJob.NAME.equals(execution.getJobName())
                    ? Optional.of(
                        view(
                            operator,
                            execution,
                            operator.getJobInstance(executionId).getInstanceId()))
                    : Optional.<RetentionRun>empty();
              })
          .orElseThrow(() -> RetentionRunException.notFound(executionId));
    } catch (NoSuchJobExecutionException e) {
      throw RetentionRunException.notFound(executionId);
    }
  }

  private void refuseOverlap() {
    List<Long> running =
        jobs.call(
            operator ->
                operator.getJobNames().contains(PurgeJob.NAME)
                    ? operator.getRunningExecutions(PurgeJob.NAME)
                    : List.of()); // never run since the server started
    if (!running.isEmpty()) {
      throw RetentionRunException.conflict(
          "A retention run is in progress (execution "
              + running.get(0)
              + "); runs never overlap. Wait for it to end, or stop it.");
    }
  }

  private RetentionRun view(JobOperator operator, JobExecution execution, long instanceId) {
    Properties parameters = execution.getJobParameters();
    PurgeTotals totals = live.of(execution.getExecutionId()).orElse(null);
    for (StepExecution step : operator.getStepExecutions(execution.getExecutionId())) {
      if (totals == null
          && PurgeJob.STEP.equals(step.getStepName())
          && step.getPersistentUserData() instanceof PurgeTotals t) {
        totals = t;
      }
    }
    return RetentionRun.of(
        execution.getExecutionId(),
        instanceId,
        execution.getBatchStatus().name(),
        execution.getExitStatus(),
        parameters == null ? null : parameters.getProperty(PurgeJob.STARTED_BY),
        parameters != null && Boolean.parseBoolean(parameters.getProperty(PurgeJob.DRY_RUN)),
        parameters == null ? null : parameters.getProperty(PurgeJob.AS_OF),
        instant(execution.getStartTime()),
        instant(execution.getEndTime()),
        totals);
  }

  private static Instant instant(java.util.Date date) {
    return date == null ? null : date.toInstant();
  }
}
