package io.smlguardian.store.sync;

import io.smlguardian.store.problem.Unavailable;

/**
 * The journal holds as many unflushed bytes as it may ({@code JOURNAL_MAX_BYTES}): an ingest is
 * refused whole (503 with {@code Retry-After}), never accepted in part, until the flusher has
 * written some to the store.
 */
public class JournalFullException extends Unavailable {

  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public JournalFullException(long pendingBytes, long maxBytes) {
    this(
        "The ingest journal holds "
            + pendingBytes
            + " bytes not yet written to the store, and may hold "
            + maxBytes
            + ": nothing of this request was accepted; retry once the store has caught up.",
        1);
  }

  private JournalFullException(String message, long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The same refusal, advising a retry after the given seconds (the next flush, say). */
  public JournalFullException retryAfter(long seconds) {
    return new JournalFullException(getMessage(), Math.max(1, seconds));
  }

  @Override
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
