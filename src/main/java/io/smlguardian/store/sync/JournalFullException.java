package io.smlguardian.store.sync;

/**
 * The journal holds as many unflushed bytes as it may ({@code JOURNAL_MAX_BYTES}): an ingest is
 * refused whole, never accepted in part, until the flusher has written some to the store.
 */
public class JournalFullException extends RuntimeException {

  public JournalFullException(long pendingBytes, long maxBytes) {
    super(
        "The ingest journal holds "
            + pendingBytes
            + " bytes not yet written to the store, and may hold "
            + maxBytes
            + ": try again once the store has caught up.");
  }
}
