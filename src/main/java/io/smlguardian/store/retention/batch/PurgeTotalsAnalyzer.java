package io.smlguardian.store.retention.batch;

import jakarta.batch.api.partition.AbstractPartitionAnalyzer;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;

/**
 * Keeps the partitions' progress as the step's {@link PurgeTotals} (its persistent user data, the
 * batch runtime's own record of what the step did, carried into a restart).
 */
@Named
@Dependent
public class PurgeTotalsAnalyzer extends AbstractPartitionAnalyzer {

  @Inject StepContext step;

  private PurgeTotals totals;

  @Override
  public void analyzeCollectorData(Serializable data) {
    if (data instanceof CollectionPurge purge) {
      totals().record(purge);
      step.setPersistentUserData(totals);
    }
  }

  private PurgeTotals totals() {
    if (totals == null) {
      totals =
          step.getPersistentUserData() instanceof PurgeTotals earlier
              ? earlier.carriedOver()
              : new PurgeTotals();
    }
    return totals;
  }
}
