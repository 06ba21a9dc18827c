package io.smlguardian.store.session;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The sessions collection: internal interaction history, kept 90 days from the session start. */
@Dependent
public class Sessions {

  @Produces
  public static final CollectionDescriptor<Session> COLLECTION =
      new CollectionDescriptor<>(
          "sessions",
          Session.class,
          DataCategory.INTERACTION_HISTORY,
          Period.ofDays(90),
          "startTime",
          List.of("sessionId", "endTime"));

  private Sessions() {}
}
