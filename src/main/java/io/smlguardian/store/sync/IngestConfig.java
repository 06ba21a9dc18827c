package io.smlguardian.store.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Settings of the write-behind ingest, from MicroProfile Config (environment variables of these
 * names; JOURNAL_DIR's default is a server variable, {@code ${DATA_DIR}/ingest-journal}).
 */
@ApplicationScoped
public class IngestConfig {

  private Path journalDirectory;
  private boolean autoSave;
  private long flushIntervalMillis;
  private int batchSize;
  private int flushLanes;
  private long journalMaxBytes;

  protected IngestConfig() {}

  @Inject
  public IngestConfig(
      @ConfigProperty(name = "JOURNAL_DIR", defaultValue = "ingest-journal") String directory,
      @ConfigProperty(name = "PERSISTENCE_AUTO_SAVE", defaultValue = "true") boolean autoSave,
      @ConfigProperty(name = "PERSISTENCE_AUTO_SAVE_INTERVAL", defaultValue = "30000")
          long flushIntervalMillis,
      @ConfigProperty(name = "INGEST_BATCH_SIZE", defaultValue = "1000") int batchSize,
      @ConfigProperty(name = "INGEST_FLUSH_LANES", defaultValue = "4") int flushLanes,
      @ConfigProperty(name = "JOURNAL_MAX_BYTES", defaultValue = "268435456")
          long journalMaxBytes) {
    if (flushIntervalMillis < 10) {
      throw new IllegalArgumentException("PERSISTENCE_AUTO_SAVE_INTERVAL must be at least 10 ms");
    }
    if (batchSize < 1 || batchSize > 100_000) {
      throw new IllegalArgumentException("INGEST_BATCH_SIZE must be 1 to 100000");
    }
    if (flushLanes < 1 || flushLanes > 64) {
      throw new IllegalArgumentException("INGEST_FLUSH_LANES must be 1 to 64");
    }
    if (journalMaxBytes < 1024 * 1024) {
      throw new IllegalArgumentException("JOURNAL_MAX_BYTES must be at least 1048576 (1 MiB)");
    }
    this.journalDirectory = Path.of(directory);
    this.autoSave = autoSave;
    this.flushIntervalMillis = flushIntervalMillis;
    this.batchSize = batchSize;
    this.flushLanes = flushLanes;
    this.journalMaxBytes = journalMaxBytes;
  }

  /** Where the journal lives: a persistent volume of this instance alone. */
  public Path journalDirectory() {
    return journalDirectory;
  }

  /**
   * Whether the flusher writes on its own, every interval and per full batch. Without it, records
   * wait in the journal for a manual sync (or the next start's replay, which always runs: it is
   * recovery, not auto-save); a full journal then refuses ingest with 503 until one runs.
   */
  public boolean autoSave() {
    return autoSave;
  }

  /** How long records wait in the journal at most before the flusher writes them (ms). */
  public long flushIntervalMillis() {
    return flushIntervalMillis;
  }

  /** Records per flush transaction; a batch this full is flushed without waiting. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Into how many lanes a batch is cut, each written in a transaction of its own, at once where the
   * store writes in parallel (see {@link FlushLane}); each takes a connection of the pool while it
   * runs.
   */
  public int flushLanes() {
    return flushLanes;
  }

  /** The most bytes of records not yet in the store that the journal holds. */
  public long journalMaxBytes() {
    return journalMaxBytes;
  }
}
