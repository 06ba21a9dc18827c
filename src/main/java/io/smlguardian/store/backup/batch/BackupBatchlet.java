package io.smlguardian.store.backup.batch;

import io.smlguardian.store.backup.BackupJson;
import io.smlguardian.store.backup.BackupService;
import io.smlguardian.store.backup.BackupSummary;
import io.smlguardian.store.backup.archive.ArchiveStoppedException;
import io.smlguardian.store.security.JobParameters;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The {@code backup} job's one step: the whole store into one archive. Its summary (the seed's
 * backupId, size and timestamp, and the counts) becomes the step's persistent data, where the jobs
 * endpoint finds it. A stop request abandons the archive between two records. Its one parameter,
 * the starter's name, is checked here, whoever started the job.
 */
@Named("backupBatchlet")
@Dependent
public class BackupBatchlet extends AbstractBatchlet {

  @Inject JobContext job;
  @Inject StepContext step;
  @Inject BackupService backups;

  @Inject
  @BatchProperty(name = "startedBy")
  String startedBy;

  private volatile boolean stopping;

  @Override
  public String process() throws Exception {
    try {
      BackupSummary summary =
          backups.backUp(JobParameters.starter("startedBy", startedBy, "batch"), () -> stopping);
      step.setPersistentUserData(BackupJson.of(summary));
      job.setExitStatus("COMPLETED " + summary.backupId() + ", " + summary.size() + " bytes");
      return BatchStatus.COMPLETED.name();
    } catch (ArchiveStoppedException e) {
      job.setExitStatus("STOPPED: no archive was kept");
      return BatchStatus.STOPPED.name();
    } catch (Exception e) {
      job.setExitStatus("FAILED: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public void stop() {
    stopping = true;
  }
}
