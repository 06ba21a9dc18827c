package io.smlguardian.store.collection;

/**
 * What each backend's store implements: every role of the store. Never injected: the backend
 * selection offers each role on its own, and a caller takes only the roles it uses.
 */
public interface BackendStore extends RecordStore, BulkStore, StoreInfo {}
