package io.smlguardian.store.metric;

import io.smlguardian.store.collection.StoredRecord;
import jakarta.json.JsonValue;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/** A sample of the platform's own performance: agent figures and cache statistics. No owner. */
@Entity
@Table(name = "metrics")
public class Metric extends StoredRecord {

  @Column(name = "agent_performance")
  private JsonValue agentPerformance;

  @Column(name = "cache_stats")
  private JsonValue cacheStats;

  @NotNull
  @Column(name = "timestamp", nullable = false)
  private Instant timestamp;

  protected Metric() {}
}
