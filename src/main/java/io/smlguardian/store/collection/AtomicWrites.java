package io.smlguardian.store.collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether several writes in one transaction take effect all or none on this store: the one
 * capability callers may act on, asked of the store ({@link RecordStore#supportsAtomicWrites()}) in
 * this one place. A request of several writes is refused where they are not (MongoDB without
 * transactions); a restore switches its collections in during a maintenance window there.
 */
@ApplicationScoped
public class AtomicWrites {

  private RecordStore store;
  private StoreInfo info;

  protected AtomicWrites() {}

  @Inject
  public AtomicWrites(RecordStore store, StoreInfo info) {
    this.store = store;
    this.info = info;
  }

  /** Whether several writes in the caller's transaction take effect all or none. */
  public boolean guaranteed() {
    return store.supportsAtomicWrites();
  }

  /**
   * Refuses a request of several writes, before any is made, when the store cannot make them all or
   * nothing: a clear refusal rather than a partial write.
   *
   * @param request what is refused, for the problem's detail
   * @throws AtomicWritesUnsupportedException when writes are not atomic here
   */
  public void require(String request) {
    if (!guaranteed()) {
      throw new AtomicWritesUnsupportedException(info.backend(), request);
    }
  }
}
