package io.smlguardian.store.metric;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The metrics collection: system data owned by nobody, kept one year. */
@Dependent
public class Metrics {

  @Produces
  public static final CollectionDescriptor<Metric> COLLECTION =
      new CollectionDescriptor<>(
          "metrics",
          Metric.class,
          DataCategory.SYSTEM_CONFIG,
          Period.ofYears(1),
          "timestamp",
          List.of());

  private Metrics() {}
}
