package io.smlguardian.store.collection;

import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The seed's {@code reset()} (clear all collections), for development and tests: it exists only on
 * a store whose data lives no longer than the server anyway (memory) and only when configuration
 * enables it ({@code MEMORY_RESET_ENABLED=true}); never by default, and never on a store that keeps
 * data.
 */
@ApplicationScoped
@DatabaseBoundary
public class StoreReset {

  private static final Logger LOG = Logger.getLogger(StoreReset.class.getName());

  private CollectionRegistry collections;
  private RecordStore store;
  private boolean enabled;
  private Event<StoreCleared> cleared;

  protected StoreReset() {}

  @Inject
  public StoreReset(
      CollectionRegistry collections,
      RecordStore store,
      StoreInfo info,
      CollectionConfig config,
      Event<StoreCleared> cleared) {
    this.collections = collections;
    this.store = store;
    this.cleared = cleared;
    this.enabled = config.memoryResetEnabled() && info.resettable();
    if (config.memoryResetEnabled() && !info.resettable()) {
      LOG.warning(
          "MEMORY_RESET_ENABLED is ignored on "
              + info.backend()
              + ": only the memory backend can be reset");
    }
  }

  /** Whether the reset exists here. */
  public boolean available() {
    return enabled;
  }

  /**
   * Removes every record of every collection, and with them (see {@link StoreCleared}) everything
   * kept beside them, in one transaction.
   *
   * @return per collection, how many records were removed
   * @throws IllegalStateException when the reset is not {@link #available()}
   */
  @Transactional
  public Map<String, Long> clearAll(Caller caller) {
    if (!enabled) {
      throw new IllegalStateException("The store cannot be reset here");
    }
    Map<String, Long> removed = new LinkedHashMap<>();
    for (CollectionDescriptor<?> collection : collections.all()) {
      removed.put(collection.name(), store.deleteMatching(collection, List.of()));
    }
    cleared.fire(new StoreCleared(caller, Map.copyOf(removed)));
    LOG.info("Store reset by " + caller.subject() + ": " + removed);
    return removed;
  }
}
