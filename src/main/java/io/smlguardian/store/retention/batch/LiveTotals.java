package io.smlguardian.store.retention.batch;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each run's totals, updated by every partition after each committed chunk. The batch runtime keeps
 * a partitioned step's own user data only as its analyzer last saw it, which misses the final chunk
 * of a stopped partition; operators want to watch a run while it works, and the receipt must count
 * every chunk. Kept for the most recent runs, like the in-memory job repository, for the life of
 * the server.
 */
@ApplicationScoped
public class LiveTotals {

  private static final int KEPT = 500;

  private final Map<Long, PurgeTotals> byExecution =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, PurgeTotals> eldest) {
          return size() > KEPT;
        }
      };

  /** A run begins: a restarted one with what its predecessor did, a new one with nothing. */
  synchronized void begin(long executionId, Optional<Long> restartedFrom) {
    PurgeTotals carried =
        restartedFrom
            .map(byExecution::get)
            .map(PurgeTotals::carriedOver)
            .orElseGet(PurgeTotals::new);
    byExecution.putIfAbsent(executionId, carried);
  }

  synchronized void record(long executionId, CollectionPurge purge) {
    byExecution.computeIfAbsent(executionId, id -> new PurgeTotals()).record(purge);
  }

  /** A copy of the run's totals, if this server ran it. */
  public synchronized Optional<PurgeTotals> of(long executionId) {
    return Optional.ofNullable(byExecution.get(executionId)).map(PurgeTotals::copy);
  }
}
