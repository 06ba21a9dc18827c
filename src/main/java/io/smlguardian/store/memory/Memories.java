package io.smlguardian.store.memory;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The memories collection: sensitive, kept two years. */
@Dependent
public class Memories {

  @Produces
  public static final CollectionDescriptor<Memory> COLLECTION =
      new CollectionDescriptor<>(
          "memories",
          Memory.class,
          DataCategory.MEMORY,
          Period.ofYears(2),
          "timestamp",
          List.of("type", "strength"));

  private Memories() {}
}
