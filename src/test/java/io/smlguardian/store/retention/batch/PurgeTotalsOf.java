package io.smlguardian.store.retention.batch;

/** Totals made of given collections' results, for tests outside the batch package. */
public final class PurgeTotalsOf {

  private PurgeTotalsOf() {}

  public static PurgeTotals of(CollectionPurge... purges) {
    PurgeTotals totals = new PurgeTotals();
    for (CollectionPurge purge : purges) {
      totals.record(purge);
    }
    return totals;
  }
}
