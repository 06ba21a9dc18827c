package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.dreamcycle.DreamCycles;
import io.smlguardian.store.emotionalstate.EmotionalStates;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.memory.Memory;
import io.smlguardian.store.metric.Metrics;
import io.smlguardian.store.profilesnapshot.ProfileSnapshots;
import io.smlguardian.store.session.Sessions;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The eight collections as the seed defines them, and the checks that keep descriptors sound. */
class CollectionDescriptorTest {

  private final CollectionRegistry registry =
      new CollectionRegistry(
          List.of(
              Memories.COLLECTION,
              DreamCycles.COLLECTION,
              ProfileSnapshots.COLLECTION,
              EmotionalStates.COLLECTION,
              Interactions.COLLECTION,
              Sessions.COLLECTION,
              AccessLogs.COLLECTION,
              Metrics.COLLECTION));

  @Test
  void retentionAndCategoriesAreTheSeeds() {
    Map<String, String> seed =
        registry.all().stream()
            .collect(
                Collectors.toMap(
                    CollectionDescriptor::name,
                    c -> c.defaultRetention() + " " + c.category().label()));

    assertThat(seed)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "memories", "P2Y memory",
                "dream_cycles", "P2Y memory",
                "profile_snapshots", "P3Y profile-data",
                "emotional_states", "P180D emotional-state",
                "interactions", "P90D interaction-history",
                "sessions", "P90D interaction-history",
                "access_logs", "P7Y audit-log",
                "metrics", "P1Y system-config"));
  }

  @Test
  void everyCollectionButMetricsIsOwnedAndQueryableByOwner() {
    for (CollectionDescriptor<?> collection : registry.all()) {
      boolean metrics = collection.name().equals("metrics");
      assertThat(collection.owned()).as(collection.name()).isEqualTo(!metrics);
      assertThat(collection.isQueryField("userId")).as(collection.name()).isEqualTo(!metrics);
      assertThat(collection.schema().fields().subList(0, 3))
          .extracting(FieldDefinition::name)
          .containsExactly("id", "createdAt", "version");
    }
  }

  @Test
  void accessOfFieldsFollowsTheEntityMapping() {
    RecordSchema schema = Memories.COLLECTION.schema();

    assertThat(schema.field("id").orElseThrow().access())
        .isEqualTo(FieldDefinition.Access.GENERATED);
    assertThat(schema.field("userId").orElseThrow().access())
        .isEqualTo(FieldDefinition.Access.IMMUTABLE);
    assertThat(schema.field("strength").orElseThrow().access())
        .isEqualTo(FieldDefinition.Access.MUTABLE);
    assertThat(schema.field("strength").orElseThrow().required()).isTrue();
    assertThat(schema.field("metadata").orElseThrow().required()).isFalse();
    assertThat(schema.field("metadata").orElseThrow().type()).isEqualTo(FieldType.JSON);
  }

  @Test
  void registryFindsCollectionsByNameAndNamesTheKnownOnesOtherwise() {
    assertThat(registry.get("sessions")).isSameAs(Sessions.COLLECTION);
    assertThatThrownBy(() -> registry.get("dreams"))
        .isInstanceOf(UnknownCollectionException.class)
        .hasMessageContaining("dream_cycles");
  }

  @Test
  void unsoundDescriptorsAreRefusedAtStart() {
    assertThatThrownBy(() -> descriptor("Memories", "timestamp", List.of()))
        .hasMessageContaining("snake_case");
    assertThatThrownBy(() -> descriptor("memories", "timestamp", List.of("patterns")))
        .hasMessageContaining("is JSON and cannot be queried");
    assertThatThrownBy(() -> descriptor("memories", "timestamp", List.of("nope")))
        .hasMessageContaining("has no field nope");
    assertThatThrownBy(() -> descriptor("memories", "type", List.of()))
        .hasMessageContaining("is not a time");
  }

  private static CollectionDescriptor<Memory> descriptor(
      String name, String timeField, List<String> queryFields) {
    return new CollectionDescriptor<>(
        name, Memory.class, DataCategory.MEMORY, Period.ofYears(2), timeField, queryFields);
  }
}
