package io.smlguardian.store.retention;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.resilience.DatabaseBoundary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/** What retention would purge now: each collection's policy, cutoff and count of due records. */
@ApplicationScoped
@DatabaseBoundary
public class RetentionService {

  private CollectionRegistry collections;
  private RecordStore store;
  private RetentionConfig config;

  protected RetentionService() {}

  @Inject
  public RetentionService(
      CollectionRegistry collections, RecordStore store, RetentionConfig config) {
    this.collections = collections;
    this.store = store;
    this.config = config;
  }

  /** A policy with its cutoff as of a moment and the number of records due then. */
  public record PolicyStatus(RetentionPolicy policy, Instant cutoff, long due) {}

  @Transactional
  public List<PolicyStatus> status(Instant asOf) {
    return config.policies().stream()
        .map(
            policy -> {
              Instant cutoff = policy.cutoff(asOf);
              CollectionDescriptor<?> collection = collections.get(policy.collection());
              return new PolicyStatus(policy, cutoff, store.count(collection, due(policy, cutoff)));
            })
        .toList();
  }

  /** The filter that selects a collection's records due for purging at a cutoff. */
  public static List<Filter> due(RetentionPolicy policy, Instant cutoff) {
    return List.of(new Filter(policy.timeField(), FilterOperator.LT, false, List.of(cutoff)));
  }
}
