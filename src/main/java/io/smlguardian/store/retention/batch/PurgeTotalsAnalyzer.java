package io.smlguardian.store.retention.batch;

import jakarta.batch.api.partition.AbstractPartitionAnalyzer;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;

/**
 * Sums the partitions' progress into the step's {@link PurgeTotals} (its persistent user data,
 * which a restart starts from), and shares them with the job listener for the receipt.
 */
@Named
@Dependent
public class PurgeTotalsAnalyzer extends AbstractPartitionAnalyzer {

  @Inject StepContext step;
  @Inject JobContext job;
  @Inject LiveTotals live;

  private PurgeTotals totals;

  @Override
  public void analyzeCollectorData(Serializable data) {
    if (data instanceof CollectionPurge purge) {
      totals().record(purge);
      step.setPersistentUserData(totals);
      live.update(job.getExecutionId(), totals);
    }
  }

  private PurgeTotals totals() {
    if (totals == null) {
      totals =
          step.getPersistentUserData() instanceof PurgeTotals earlier
              ? earlier.carriedOver()
              : new PurgeTotals();
      job.setTransientUserData(totals);
    }
    return totals;
  }
}
