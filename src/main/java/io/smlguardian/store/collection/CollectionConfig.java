package io.smlguardian.store.collection;

import io.smlguardian.store.collection.query.QueryLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits of the collection API, from MicroProfile Config (environment variables of these names).
 */
@ApplicationScoped
public class CollectionConfig {

  private QueryLimits queryLimits;
  private int maxRecordsPerRequest;
  private boolean memoryResetEnabled;

  protected CollectionConfig() {}

  @Inject
  public CollectionConfig(
      @ConfigProperty(name = "QUERY_DEFAULT_LIMIT", defaultValue = "100") int defaultLimit,
      @ConfigProperty(name = "QUERY_MAX_LIMIT", defaultValue = "1000") int maxLimit,
      @ConfigProperty(name = "QUERY_MAX_OFFSET", defaultValue = "10000") int maxOffset,
      @ConfigProperty(name = "MAX_RECORDS_PER_REQUEST", defaultValue = "1000")
          int maxRecordsPerRequest,
      @ConfigProperty(name = "MEMORY_RESET_ENABLED", defaultValue = "false")
          boolean memoryResetEnabled) {
    this.queryLimits = new QueryLimits(defaultLimit, maxLimit, maxOffset);
    if (maxRecordsPerRequest < 1) {
      throw new IllegalArgumentException("MAX_RECORDS_PER_REQUEST must be at least 1");
    }
    this.maxRecordsPerRequest = maxRecordsPerRequest;
    this.memoryResetEnabled = memoryResetEnabled;
  }

  public QueryLimits queryLimits() {
    return queryLimits;
  }

  /** The most records one insert-many or one atomic request may carry. */
  public int maxRecordsPerRequest() {
    return maxRecordsPerRequest;
  }

  /** Whether the seed's reset (clear all collections) may exist: on the memory backend only. */
  public boolean memoryResetEnabled() {
    return memoryResetEnabled;
  }
}
