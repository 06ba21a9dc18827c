package io.smlguardian.store.interaction;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The interactions collection: internal interaction history, kept 90 days. */
@Dependent
public class Interactions {

  @Produces
  public static final CollectionDescriptor<Interaction> COLLECTION =
      new CollectionDescriptor<>(
          "interactions",
          Interaction.class,
          DataCategory.INTERACTION_HISTORY,
          Period.ofDays(90),
          "timestamp",
          List.of("sessionId", "type", "responseTime", "agentMode"));

  private Interactions() {}
}
