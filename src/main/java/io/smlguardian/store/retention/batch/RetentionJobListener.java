package io.smlguardian.store.retention.batch;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.ViewJson;
import io.smlguardian.store.retention.RetentionConfig;
import io.smlguardian.store.security.JobParameters;
import io.smlguardian.store.security.SystemJobOperator;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.JobListener;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before a run, whoever started it (the operations endpoint and the scheduler check first; this
 * also covers the server's batch REST API): refuses parameters that break the policies (see {@link
 * PurgeParameters}: no cutoff later than its policy allows) and refuses to overlap another run of
 * the job. A refusal fails the job before its step, so nothing is purged. After a run, whatever its
 * outcome: writes the receipt to the audit trail and sets the exit status.
 */
@Named
@Dependent
public class RetentionJobListener implements JobListener {

  private static final Logger LOG = Logger.getLogger(RetentionJobListener.class.getName());

  @Inject JobContext job;
  @Inject AuditTrail audit;
  @Inject LiveTotals live;
  @Inject SystemJobOperator jobs;
  @Inject RetentionConfig config;

  @Inject
  @BatchProperty(name = PurgeJob.STARTED_BY)
  String startedBy;

  @Inject
  @BatchProperty(name = PurgeJob.DRY_RUN)
  String dryRun;

  private long startedAt;
  private PurgeParameters checked;

  /** Why the run was refused before it began, if it was. */
  private String refused;

  @Override
  public void beforeJob() {
    startedAt = System.currentTimeMillis();
    long current = job.getExecutionId();
    live.begin(current, previousExecution());
    try {
      checked =
          PurgeParameters.check(
              jobs.call(operator -> operator.getParameters(current)),
              config.policies(),
              Instant.now());
    } catch (IllegalArgumentException e) {
      refused = e.getMessage();
      throw e;
    }
    List<Long> others = otherRunningExecutions();
    if (!others.isEmpty()) {
      refused = "another run was in progress";
      throw new IllegalStateException(
          "Another retention run is in progress (execution " + others + "); runs never overlap.");
    }
  }

  @Override
  public void afterJob() {
    boolean dry = checked == null ? Boolean.parseBoolean(dryRun) : checked.dryRun();
    PurgeTotals totals = live.of(job.getExecutionId()).orElseGet(PurgeTotals::new);
    String status = outcome();
    String reason =
        ViewJson.toJson(
            RetentionReceipt.of(
                job.getExecutionId(),
                status,
                dry,
                System.currentTimeMillis() - startedAt,
                checked != null && checked.asOf() != null ? checked.asOf().toString() : null,
                refused,
                totals));
    String principal = checked == null ? starter() : checked.startedBy();
    try {
      audit.retentionRun(
          principal,
          dry ? PurgeJob.NAME + " (dry run)" : PurgeJob.NAME,
          "COMPLETED".equals(status),
          reason);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Could not write the retention receipt to the audit trail", e);
    }
    job.setExitStatus(
        refused != null
            ? exitStatus("REFUSED: " + refused)
            : (dry ? "DRY RUN: would purge " : "purged ") + totals.purgedThisRun() + " records");
    LOG.info(() -> "Retention run " + job.getExecutionId() + " " + status + ": " + reason);
  }

  /** In afterJob the runtime has not yet settled the final status; this is what it will be. */
  private String outcome() {
    BatchStatus status = job.getBatchStatus();
    if (refused != null) {
      return BatchStatus.FAILED.name();
    }
    return switch (status) {
      case STARTING, STARTED -> BatchStatus.COMPLETED.name();
      case STOPPING -> BatchStatus.STOPPED.name();
      default -> status.name();
    };
  }

  /** Who the parameters say started the run, when they are not all valid. */
  private String starter() {
    try {
      return JobParameters.starter(PurgeJob.STARTED_BY, startedBy, PurgeParameters.UNNAMED_STARTER);
    } catch (IllegalArgumentException e) {
      return PurgeParameters.UNNAMED_STARTER;
    }
  }

  /** The job repository keeps exit statuses of limited length. */
  private static String exitStatus(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  /** The run this one restarts, if it is a restart. */
  private Optional<Long> previousExecution() {
    long current = job.getExecutionId();
    return jobs.call(
        operator ->
            operator.getJobExecutions(operator.getJobInstance(current)).stream()
                .map(JobExecution::getExecutionId)
                .filter(id -> id < current)
                .max(Long::compare));
  }

  private List<Long> otherRunningExecutions() {
    long current = job.getExecutionId();
    try {
      return jobs.call(
          operator ->
              operator.getRunningExecutions(PurgeJob.NAME).stream()
                  .filter(id -> id != current)
                  .toList());
    } catch (NoSuchJobException e) { // cannot be: this run is one
      return List.of();
    }
  }
}
