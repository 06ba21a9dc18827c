package io.smlguardian.store.profilesnapshot;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Period;
import java.util.List;

/** The profile snapshots collection: sensitive profile data, kept three years. */
@Dependent
public class ProfileSnapshots {

  @Produces
  public static final CollectionDescriptor<ProfileSnapshot> COLLECTION =
      new CollectionDescriptor<>(
          "profile_snapshots",
          ProfileSnapshot.class,
          DataCategory.PROFILE_DATA,
          Period.ofYears(3),
          "timestamp",
          List.of("snapshotId", "evolutionScore"));

  private ProfileSnapshots() {}
}
