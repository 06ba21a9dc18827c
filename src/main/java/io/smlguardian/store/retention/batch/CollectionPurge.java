package io.smlguardian.store.retention.batch;

import java.io.Serializable;

/**
 * What a run did in one collection.
 *
 * @param cutoff records strictly before it were due
 * @param purged purged since the first run of the job instance (restarts included)
 * @param purgedThisRun purged by this run
 * @param longestStatementMillis the slowest single read or delete of the collection
 * @param durationMillis the time this run spent on the collection
 * @param statementMillis the part of it spent in the store's reads and deletes (the rest went to
 *     the chunks' transactions and checkpoints, and the code between)
 */
public record CollectionPurge(
    String collection,
    String cutoff,
    long purged,
    long purgedThisRun,
    double longestStatementMillis,
    long durationMillis,
    long statementMillis)
    implements Serializable {

  static CollectionPurge of(PurgeProgress progress) {
    return new CollectionPurge(
        progress.collection(),
        progress.cutoff(),
        progress.purged(),
        progress.purgedThisRun(),
        progress.longestStatementNanos() / 1_000_000.0,
        progress.elapsedMillis(),
        progress.statementNanosThisRun() / 1_000_000);
  }

  /** The same collection as carried over into a restarted run that has not reached it yet. */
  CollectionPurge carriedOver() {
    return new CollectionPurge(collection, cutoff, purged, 0, 0, 0, 0);
  }
}
