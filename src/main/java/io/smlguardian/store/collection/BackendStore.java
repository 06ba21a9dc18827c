package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.Filter;
import java.util.List;

/**
 * What each backend's store implements: every role of the store. Never injected: the backend
 * selection offers each role on its own, and a caller takes only the roles it uses.
 */
public interface BackendStore extends RecordStore, BulkStore, StoreInfo {

  /** The records' count is the bulk count over the whole of the collection's time order. */
  @Override
  default long count(CollectionDescriptor<?> collection, List<Filter> filters) {
    return count(collection, filters, TimeKeyRange.ALL);
  }

  /** The records' delete is the bulk delete over the whole of the collection's time order. */
  @Override
  default long deleteMatching(CollectionDescriptor<?> collection, List<Filter> filters) {
    return deleteMatching(collection, filters, TimeKeyRange.ALL);
  }
}
