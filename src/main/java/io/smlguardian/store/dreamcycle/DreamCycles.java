package io.smlguardian.store.dreamcycle;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The dream cycles collection: sensitive memory data, kept two years. */
@Dependent
public class DreamCycles {

  @Produces
  public static final CollectionDescriptor<DreamCycle> COLLECTION =
      new CollectionDescriptor<>(
          "dream_cycles",
          DreamCycle.class,
          DataCategory.MEMORY,
          Period.ofYears(2),
          "timestamp",
          List.of("cycleId"));

  private DreamCycles() {}
}
