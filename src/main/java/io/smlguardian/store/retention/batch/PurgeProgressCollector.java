package io.smlguardian.store.retention.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.StepListener;
import jakarta.batch.api.partition.PartitionCollector;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;

/**
 * After every committed chunk of a partition, publishes its collection's progress to the run's
 * {@link LiveTotals} and hands it to the analyzer; and once more as its partition ends (as the
 * step's listener), because the runtime does not collect after the last chunk of a partition that a
 * stop ended, and the stopped run's totals would then miss that committed chunk.
 */
@Named
@Dependent
public class PurgeProgressCollector implements PartitionCollector, StepListener {

  @Inject StepContext step;
  @Inject LiveTotals live;

  @Inject
  @BatchProperty(name = "executionId")
  String executionId;

  @Override
  public Serializable collectPartitionData() {
    if (!(step.getTransientUserData() instanceof PurgeProgress progress)) {
      return null;
    }
    CollectionPurge purge = CollectionPurge.of(progress.snapshot());
    live.record(Long.parseLong(executionId), purge);
    return purge;
  }

  @Override
  public void beforeStep() {}

  /** A failed partition's last chunk was rolled back: its progress is not published. */
  @Override
  public void afterStep() {
    if (step.getBatchStatus() != BatchStatus.FAILED) {
      collectPartitionData();
    }
  }
}
