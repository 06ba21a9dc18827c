package io.smlguardian.store.retention.batch;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The purge step's results per collection, kept by the partition analyzer as the step's persistent
 * user data: the operations endpoint reads them from the step execution, and a restart starts from
 * them.
 */
public final class PurgeTotals implements Serializable {

  private static final long serialVersionUID = 1L;

  private final TreeMap<String, CollectionPurge> collections = new TreeMap<>();

  public PurgeTotals() {}

  /** Totals of an earlier run, continued by a restarted one: nothing done in this run yet. */
  PurgeTotals carriedOver() {
    PurgeTotals next = new PurgeTotals();
    collections.forEach((name, purge) -> next.collections.put(name, purge.carriedOver()));
    return next;
  }

  PurgeTotals copy() {
    PurgeTotals copy = new PurgeTotals();
    copy.collections.putAll(collections);
    return copy;
  }

  void record(CollectionPurge purge) {
    collections.put(purge.collection(), purge);
  }

  public Map<String, CollectionPurge> collections() {
    return Map.copyOf(collections);
  }

  public long purged() {
    return collections.values().stream().mapToLong(CollectionPurge::purged).sum();
  }

  public long purgedThisRun() {
    return collections.values().stream().mapToLong(CollectionPurge::purgedThisRun).sum();
  }

  public double longestStatementMillis() {
    return collections.values().stream()
        .mapToDouble(CollectionPurge::longestStatementMillis)
        .max()
        .orElse(0);
  }
}
