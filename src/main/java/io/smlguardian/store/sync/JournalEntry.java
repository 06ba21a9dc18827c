package io.smlguardian.store.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * One record in the ingest journal.
 *
 * @param sequence its place in the journal: 1 for the first entry ever, one more for each next
 * @param collection the collection it is for
 * @param id the record's id (client-supplied or assigned), which makes its replays harmless
 * @param owner the user whose record it is, or null for a collection without owners
 * @param time when it was journaled
 * @param record the record in its stored form: every field of the collection, protected fields
 *     sealed under the journal key ({@code JournalSealing}), until the flusher seals them under the
 *     owner's data key
 * @param origin the ingest request that brought it, for its audit entry; null in entries written
 *     before the journal carried it (their request was audited when it was made)
 */
public record JournalEntry(
    long sequence,
    String collection,
    UUID id,
    String owner,
    Instant time,
    StoredForm record,
    Origin origin) {

  /** An entry before the journal gives it its sequence. */
  public record Draft(String collection, UUID id, String owner, StoredForm record, Origin origin) {}

  /**
   * Who sent the record, from where, in which request: what its ingest's audit entry says, written
   * by the flusher in the transaction that stores the record.
   *
   * @param request the ingest request's id: one audit entry per request, collection and owner
   */
  public record Origin(UUID request, String principal, String address) {}
}
