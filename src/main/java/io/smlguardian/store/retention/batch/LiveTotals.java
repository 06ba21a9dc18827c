package io.smlguardian.store.retention.batch;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The totals of runs in progress, as the analyzer last saw them: the batch runtime saves a
 * partitioned step's user data only when the step ends, and operators want to watch a run.
 */
@ApplicationScoped
public class LiveTotals {

  private final ConcurrentHashMap<Long, PurgeTotals> byExecution = new ConcurrentHashMap<>();

  void update(long executionId, PurgeTotals totals) {
    byExecution.put(executionId, totals.copy());
  }

  void ended(long executionId) {
    byExecution.remove(executionId);
  }

  public Optional<PurgeTotals> of(long executionId) {
    return Optional.ofNullable(byExecution.get(executionId));
  }
}
