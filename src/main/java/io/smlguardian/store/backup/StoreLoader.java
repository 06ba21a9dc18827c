package io.smlguardian.store.backup;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The restore's writes, each in a transaction of its own: a page of records committed at a time, so
 * no transaction grows with the backup's size (a restore that fails midway says so, and a rerun
 * with replace starts again from a wiped store).
 */
@ApplicationScoped
public class StoreLoader {

  private RecordStore store;

  protected StoreLoader() {}

  @Inject
  public StoreLoader(RecordStore store) {
    this.store = store;
  }

  /** How many records each of the collections holds. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Map<String, Long> counts(List<CollectionDescriptor<?>> collections) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (CollectionDescriptor<?> collection : collections) {
      counts.put(collection.name(), store.count(collection, List.of()));
    }
    return counts;
  }

  /** Deletes every record of the collection; returns how many. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public long wipe(CollectionDescriptor<?> collection) {
    return store.deleteMatching(collection, List.of());
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public <E extends StoredRecord> void load(CollectionDescriptor<E> collection, List<E> records) {
    store.restore(collection, records);
  }
}
