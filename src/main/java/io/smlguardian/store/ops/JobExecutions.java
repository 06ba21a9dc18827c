package io.smlguardian.store.ops;

import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every batch job's executions, read from the job repository through {@link JobOperator}, whatever
 * the job: retention-purge, user-export, backup, restore and any job added later appear without a
 * change here. Reads only; starting jobs is each feature's own business. The reads go through
 * {@link SystemJobOperator}: the metrics poll that calls them has no caller.
 */
@ApplicationScoped
public class JobExecutions {

  @Inject SystemJobOperator jobs;

  /** The names of the jobs that have run (or been started) since the repository began. */
  public Set<String> jobNames() {
    return new TreeSet<>(jobs.call(JobOperator::getJobNames));
  }

  /**
   * The most recent executions of every job, newest first.
   *
   * @param max at most this many
   * @param withSteps whether to read each execution's steps (one more repository read each)
   */
  public List<JobRun> recent(int max, boolean withSteps) {
    List<JobRun> runs = new ArrayList<>();
    for (String job : jobNames()) {
      runs.addAll(recent(job, max, withSteps));
    }
    runs.sort(Comparator.comparingLong(JobRun::executionId).reversed());
    return runs.size() > max ? List.copyOf(runs.subList(0, max)) : runs;
  }

  /**
   * The executions of the job's {@code instances} most recent instances (a restart adds an
   * execution to its instance), newest first; none when the job never ran.
   */
  public List<JobRun> recent(String job, int instances, boolean withSteps) {
    return jobs.call(operator -> recent(operator, job, instances, withSteps));
  }

  private static List<JobRun> recent(
      JobOperator operator, String job, int instances, boolean withSteps) {
    List<JobRun> runs = new ArrayList<>();
    // Asked first rather than caught: the batch runtime logs an FFDC incident for every
    // NoSuchJobException it throws, and a job that never ran is no incident.
    if (!operator.getJobNames().contains(job)) {
      return List.of();
    }
    try {
      for (JobInstance instance : operator.getJobInstances(job, 0, instances)) {
        for (JobExecution execution : operator.getJobExecutions(instance)) {
          runs.add(view(operator, execution, instance.getInstanceId(), withSteps));
        }
      }
    } catch (NoSuchJobException e) {
      return List.of();
    }
    runs.sort(Comparator.comparingLong(JobRun::executionId).reversed());
    return runs;
  }

  /** The job's most recent execution, with its steps, if it ever ran. */
  public Optional<JobRun> latest(String job) {
    return recent(job, 1, true).stream().findFirst();
  }

  private static JobRun view(
      JobOperator operator, JobExecution execution, long instanceId, boolean withSteps) {
    List<JobRun.Step> steps = new ArrayList<>();
    if (withSteps) {
      for (StepExecution step : operator.getStepExecutions(execution.getExecutionId())) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        Metric[] reported = step.getMetrics();
        if (reported != null) {
          for (Metric metric : reported) {
            metrics.put(metric.getType().name(), metric.getValue());
          }
        }
        steps.add(new JobRun.Step(step.getStepName(), step.getBatchStatus().name(), metrics));
      }
    }
    return JobRun.of(
        execution.getExecutionId(),
        instanceId,
        execution.getJobName(),
        execution.getBatchStatus().name(),
        execution.getExitStatus(),
        instant(execution.getStartTime()),
        instant(execution.getEndTime()),
        steps);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
