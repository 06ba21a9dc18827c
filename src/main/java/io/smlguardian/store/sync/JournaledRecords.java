package io.smlguardian.store.sync;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.PendingRecords;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.encryption.JournalSealing;
import io.smlguardian.store.privacy.Erasures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The records this instance's journal holds and the store does not yet: a read by id finds them
 * (still audited as a read, by the reader). A record whose owner was erased at or after it was
 * journaled is not found: the flusher will never store it, wherever the erasure ran.
 */
@ApplicationScoped
public class JournaledRecords implements PendingRecords {

  @Inject IngestSync sync;
  @Inject Erasures erasures;
  @Inject JournalSealing sealing;

  @Override
  public <E extends StoredRecord> Optional<E> find(CollectionDescriptor<E> collection, UUID id) {
    Optional<JournalEntry> found =
        sync.pending(id).filter(entry -> entry.collection().equals(collection.name()));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JournalEntry entry = found.get();
    if (entry.owner() != null) {
      Instant erased = erasures.latestOf(Set.of(entry.owner())).get(entry.owner());
      if (erased != null && !erased.isBefore(entry.time())) {
        return Optional.empty();
      }
    }
    return Optional.of(entry.record().record(collection));
  }

  @Override
  public FieldProtection protection() {
    return sealing.protection();
  }
}
