package io.smlguardian.store.emotionalstate;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The emotional states collection: sensitive, kept 180 days. */
@Dependent
public class EmotionalStates {

  @Produces
  public static final CollectionDescriptor<EmotionalState> COLLECTION =
      new CollectionDescriptor<>(
          "emotional_states",
          EmotionalState.class,
          DataCategory.EMOTIONAL_STATE,
          Period.ofDays(180),
          "timestamp",
          List.of("emotion", "intensity", "stability"));

  private EmotionalStates() {}
}
