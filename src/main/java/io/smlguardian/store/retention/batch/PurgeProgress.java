package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import java.io.Serializable;

/**
 * One collection's purge so far, shared by the partition's reader, writer and collector (through
 * the partition's step context) and saved with every checkpoint: the last key (time, id) whose
 * chunk was committed is where a restart resumes; the counts carry over into the restarted run.
 */
public final class PurgeProgress implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String collection;
  private final String cutoff;
  private TimeKey last;
  private boolean finished;
  private long purged;
  private long purgedThisRun;
  private long longestStatementNanos;
  private long statementNanosThisRun;
  private long openedAtMillis;
  private long elapsedMillis;

  PurgeProgress(String collection, String cutoff) {
    this.collection = collection;
    this.cutoff = cutoff;
    this.openedAtMillis = System.currentTimeMillis();
  }

  private PurgeProgress(PurgeProgress other) {
    this.collection = other.collection;
    this.cutoff = other.cutoff;
    this.last = other.last;
    this.finished = other.finished;
    this.purged = other.purged;
    this.purgedThisRun = other.purgedThisRun;
    this.longestStatementNanos = other.longestStatementNanos;
    this.statementNanosThisRun = other.statementNanosThisRun;
    this.openedAtMillis = other.openedAtMillis;
    this.elapsedMillis = System.currentTimeMillis() - other.openedAtMillis;
  }

  /** A copy to checkpoint or hand to the analyzer, with the time spent so far in this run. */
  PurgeProgress snapshot() {
    return new PurgeProgress(this);
  }

  /** The progress of an earlier run, continued by a restarted one. */
  PurgeProgress resumed() {
    PurgeProgress resumed = new PurgeProgress(this);
    resumed.purgedThisRun = 0;
    resumed.statementNanosThisRun = 0;
    resumed.openedAtMillis = System.currentTimeMillis();
    resumed.elapsedMillis = 0;
    return resumed;
  }

  void read(TimeKeyRange range) {
    if (range.upTo() == null) {
      finished = true; // the open-ended last range
    } else {
      last = range.upTo();
    }
  }

  /** Whether the last range was read: nothing after it was due when it was read. */
  boolean finished() {
    return finished;
  }

  void purged(long count) {
    purged += count;
    purgedThisRun += count;
  }

  void statement(long nanos) {
    longestStatementNanos = Math.max(longestStatementNanos, nanos);
    statementNanosThisRun += nanos;
  }

  public String collection() {
    return collection;
  }

  public String cutoff() {
    return cutoff;
  }

  /** The key after which the next read starts, or null to start from the first. */
  public TimeKey last() {
    return last;
  }

  /** Records purged (or, in a dry run, found) since the first run of this job instance. */
  public long purged() {
    return purged;
  }

  /** Records purged by this run (a restarted run counts from zero). */
  public long purgedThisRun() {
    return purgedThisRun;
  }

  public long longestStatementNanos() {
    return longestStatementNanos;
  }

  /** The time this run spent in the store's reads and deletes (the rest went to the chunks). */
  public long statementNanosThisRun() {
    return statementNanosThisRun;
  }

  public long elapsedMillis() {
    return elapsedMillis;
  }
}
