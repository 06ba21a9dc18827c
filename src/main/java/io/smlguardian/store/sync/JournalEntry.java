package io.smlguardian.store.sync;

import jakarta.json.JsonObject;
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
 * @param record the record in its stored form: every field of the collection, sealed fields sealed
 */
public record JournalEntry(
    long sequence, String collection, UUID id, String owner, Instant time, JsonObject record) {

  /** An entry before the journal gives it its sequence. */
  public record Draft(String collection, UUID id, String owner, JsonObject record) {}
}
