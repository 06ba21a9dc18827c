package io.smlguardian.store.retention.batch;

import io.smlguardian.store.accesslog.AuditTrail;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.JobListener;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before a run: refuses to overlap another run of the job, whoever started it (the operations
 * endpoint and the scheduler check first; this also covers the batch management API). After a run,
 * whatever its outcome: writes the receipt to the audit trail and sets the exit status.
 */
@Named
@Dependent
public class RetentionJobListener implements JobListener {

  private static final Logger LOG = Logger.getLogger(RetentionJobListener.class.getName());

  @Inject JobContext job;
  @Inject AuditTrail audit;
  @Inject LiveTotals live;

  @Inject
  @BatchProperty(name = PurgeJob.STARTED_BY)
  String startedBy;

  @Inject
  @BatchProperty(name = PurgeJob.DRY_RUN)
  String dryRun;

  @Inject
  @BatchProperty(name = PurgeJob.AS_OF)
  String asOf;

  private long startedAt;
  private boolean overlapped;

  @Override
  public void beforeJob() {
    startedAt = System.currentTimeMillis();
    live.begin(job.getExecutionId(), previousExecution());
    List<Long> others = otherRunningExecutions();
    if (!others.isEmpty()) {
      overlapped = true;
      throw new IllegalStateException(
          "Another retention run is in progress (execution " + others + "); runs never overlap.");
    }
  }

  @Override
  public void afterJob() {
    boolean dry = Boolean.parseBoolean(dryRun);
    PurgeTotals totals = live.of(job.getExecutionId()).orElseGet(PurgeTotals::new);
    String status = outcome();
    var receipt =
        Json.createObjectBuilder()
            .add("executionId", job.getExecutionId())
            .add("status", status)
            .add("dryRun", dry)
            .add("durationMs", System.currentTimeMillis() - startedAt);
    if (asOf != null && !asOf.isBlank()) {
      receipt.add("asOf", asOf);
    }
    if (overlapped) {
      receipt.add("refused", "another run was in progress");
    }
    totals.toReceiptJson().build().forEach(receipt::add);
    String reason = receipt.build().toString();
    String principal = startedBy == null || startedBy.isBlank() ? "batch-api" : startedBy;
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
        (dry ? "DRY RUN: would purge " : "purged ") + totals.purgedThisRun() + " records");
    LOG.info(() -> "Retention run " + job.getExecutionId() + " " + status + ": " + reason);
  }

  /** In afterJob the runtime has not yet settled the final status; this is what it will be. */
  private String outcome() {
    BatchStatus status = job.getBatchStatus();
    if (overlapped) {
      return BatchStatus.FAILED.name();
    }
    return switch (status) {
      case STARTING, STARTED -> BatchStatus.COMPLETED.name();
      case STOPPING -> BatchStatus.STOPPED.name();
      default -> status.name();
    };
  }

  /** The run this one restarts, if it is a restart. */
  private Optional<Long> previousExecution() {
    JobOperator operator = BatchRuntime.getJobOperator();
    JobInstance instance = operator.getJobInstance(job.getExecutionId());
    return operator.getJobExecutions(instance).stream()
        .map(JobExecution::getExecutionId)
        .filter(id -> id < job.getExecutionId())
        .max(Long::compare);
  }

  private List<Long> otherRunningExecutions() {
    JobOperator operator = BatchRuntime.getJobOperator();
    try {
      return operator.getRunningExecutions(PurgeJob.NAME).stream()
          .filter(id -> id != job.getExecutionId())
          .toList();
    } catch (NoSuchJobException e) { // cannot be: this run is one
      return List.of();
    }
  }
}
