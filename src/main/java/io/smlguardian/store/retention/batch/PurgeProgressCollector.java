package io.smlguardian.store.retention.batch;

import jakarta.batch.api.partition.PartitionCollector;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;

/** After every chunk of a partition, hands its collection's progress to the analyzer. */
@Named
@Dependent
public class PurgeProgressCollector implements PartitionCollector {

  @Inject StepContext step;

  @Override
  public Serializable collectPartitionData() {
    return step.getTransientUserData() instanceof PurgeProgress progress
        ? CollectionPurge.of(progress.snapshot())
        : null;
  }
}
