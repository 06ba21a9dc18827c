package io.smlguardian.store.sync;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one batch of journal entries to the store in one transaction, inserting only ids not yet
 * stored: a batch written again after a failed flush or a crash stores nothing twice. Entries keep
 * their journal order within each collection.
 */
@ApplicationScoped
@Transactional
@DatabaseBoundary
public class IngestWriter {

  @Inject CollectionRegistry collections;
  @Inject RecordStore store;

  /** Returns how many records were new to the store. */
  public long write(List<JournalEntry> batch) {
    Map<String, List<JournalEntry>> byCollection = new LinkedHashMap<>();
    for (JournalEntry entry : batch) {
      byCollection.computeIfAbsent(entry.collection(), c -> new ArrayList<>()).add(entry);
    }
    long inserted = 0;
    for (Map.Entry<String, List<JournalEntry>> group : byCollection.entrySet()) {
      inserted += write(collections.get(group.getKey()), group.getValue());
    }
    return inserted;
  }

  private <E extends StoredRecord> long write(
      CollectionDescriptor<E> collection, List<JournalEntry> entries) {
    List<E> records = new ArrayList<>(entries.size());
    for (JournalEntry entry : entries) {
      records.add(StoredForm.fromJson(collection, entry.record()));
    }
    return store.insertIfAbsent(collection, records);
  }
}
