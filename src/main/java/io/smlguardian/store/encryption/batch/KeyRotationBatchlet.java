package io.smlguardian.store.encryption.batch;

import io.smlguardian.store.encryption.KeyRotation;
import io.smlguardian.store.encryption.KeyRotationJobs;
import io.smlguardian.store.security.JobParameters;
import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonObject;
import java.time.Duration;

/**
 * The {@code key-rotation} job's one step. Its parameters are checked here, whoever started the job
 * (a retention longer than {@code KEY_RETENTION} is refused: the batch API must not keep keys
 * longer than the deployment promises). Its result becomes the step's persistent data.
 */
@Named("keyRotationBatchlet")
@Dependent
public class KeyRotationBatchlet extends AbstractBatchlet {

  @Inject JobContext job;
  @Inject StepContext step;
  @Inject KeyRotation rotation;
  @Inject KeyRotationJobs jobs;

  @Inject
  @BatchProperty(name = "newKek")
  String newKek;

  @Inject
  @BatchProperty(name = "retention")
  String retention;

  @Inject
  @BatchProperty(name = "startedBy")
  String startedBy;

  private volatile boolean stopping;

  @Override
  public String process() throws Exception {
    try {
      boolean create = JobParameters.flag("newKek", newKek, true);
      Duration kept = jobs.retention(retention);
      JsonObject result =
          rotation.rotate(
              create, kept, JobParameters.starter("startedBy", startedBy, "batch"), () -> stopping);
      step.setPersistentUserData(result.toString());
      boolean complete = result.getBoolean("complete");
      job.setExitStatus(
          (complete ? "COMPLETED" : "STOPPED")
              + ": "
              + result.getJsonNumber("keysRewrapped")
              + " data keys re-wrapped");
      return complete ? BatchStatus.COMPLETED.name() : BatchStatus.STOPPED.name();
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
