package io.smlguardian.store.backup.batch;

import io.smlguardian.store.backup.BackupJson;
import io.smlguardian.store.backup.RestoreReport;
import io.smlguardian.store.backup.RestoreService;
import io.smlguardian.store.backup.archive.BackupId;
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
 * The {@code restore} job's one step. Its report (records restored and skipped per collection)
 * becomes the step's persistent data; a refusal or failure becomes the job's exit status, which
 * says what was wrong and whether anything was written. Its parameters are checked here, whoever
 * started the job (the batch REST API too): a backup id of the strict pattern (never a path), flags
 * that are exactly true or false (replace, force, allowUnencrypted), a starter's name; the restore
 * service then refuses an archive that does not exist or does not verify, before writing anything.
 */
@Named("restoreBatchlet")
@Dependent
public class RestoreBatchlet extends AbstractBatchlet {

  @Inject JobContext job;
  @Inject StepContext step;
  @Inject RestoreService restores;

  @Inject
  @BatchProperty(name = "backupId")
  String backupId;

  @Inject
  @BatchProperty(name = "replace")
  String replace;

  @Inject
  @BatchProperty(name = "force")
  String force;

  @Inject
  @BatchProperty(name = "allowUnencrypted")
  String allowUnencrypted;

  @Inject
  @BatchProperty(name = "startedBy")
  String startedBy;

  @Override
  public String process() throws Exception {
    try {
      RestoreReport report =
          restores.restore(
              BackupId.parse(backupId),
              JobParameters.flag("replace", replace, false),
              JobParameters.flag("force", force, false),
              JobParameters.flag("allowUnencrypted", allowUnencrypted, false),
              JobParameters.starter("startedBy", startedBy, "batch"));
      step.setPersistentUserData(BackupJson.of(report.view()));
      job.setExitStatus("COMPLETED " + report.restoredTotal() + " records restored");
      return BatchStatus.COMPLETED.name();
    } catch (Exception e) {
      job.setExitStatus("FAILED: " + e.getMessage());
      throw e;
    }
  }
}
