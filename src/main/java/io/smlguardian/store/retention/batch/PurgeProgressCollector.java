package io.smlguardian.store.retention.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionCollector;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;

/**
 * After every committed chunk of a partition, publishes its collection's progress to the run's
 * {@link LiveTotals} and hands it to the analyzer.
 */
@Named
@Dependent
public class PurgeProgressCollector implements PartitionCollector {

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
}
