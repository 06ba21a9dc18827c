package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.memory.Memory;
import io.smlguardian.store.session.Session;
import io.smlguardian.store.session.Sessions;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TaggingProtection;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON to entity and back, with every refusal the API relies on for bad input. */
class RecordMapperTest {

  private static final List<CollectionDescriptor<?>> ALL = RegisteredCollections.registry().all();

  private final RecordMapper mapper =
      new RecordMapper(
          Validation.buildDefaultValidatorFactory().getValidator(), FieldProtection.NONE);

  @Test
  void everyCollectionsSampleMapsAndComesBackUnchanged() {
    for (CollectionDescriptor<?> collection : ALL) {
      JsonObject sample = Samples.record(collection.name(), "user-1");
      StoredRecord record = mapper.newRecord(collection, sample);
      JsonObject json = JsonBodies.object(mapper.view(collection, record, List.of()));

      for (String field : sample.keySet()) {
        assertThat(json.get(field)).as(collection + "." + field).isEqualTo(sample.get(field));
      }
      assertThat(json.keySet()).as(collection.name()).contains("id", "createdAt", "version");
    }
  }

  @Test
  void unknownGeneratedAndMistypedFieldsAreAllReportedTogether() {
    JsonObject body =
        Json.createObjectBuilder(Samples.record("memories", "u"))
            .add("colour", "red")
            .add("id", "3f1c1b8e-1d3a-4c55-9a59-7b4c1d3c9a11")
            .add("strength", "strong")
            .build();

    assertThatThrownBy(() -> mapper.newRecord(Memories.COLLECTION, body))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        "colour: no such field in memories",
                        "id: is assigned by the store",
                        "strength: must be a number"));
  }

  @Test
  void requiredFieldsAndConstraintsAreChecked() {
    JsonObject body = Json.createObjectBuilder().add("strength", 1.5).add("userId", "").build();

    assertThatThrownBy(() -> mapper.newRecord(Memories.COLLECTION, body))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "strength: must be less than or equal to 1",
                        "timestamp: must not be null",
                        "type: must not be blank",
                        "userId: must not be blank"));
  }

  @Test
  void aSessionMayNotEndBeforeItStarts() {
    JsonObject body =
        Json.createObjectBuilder(Samples.record("sessions", "u"))
            .add("endTime", "2026-01-01T00:00:00Z")
            .build();

    assertThatThrownBy(() -> mapper.newRecord(Sessions.COLLECTION, body))
        .hasMessageContaining("endTime must not be before startTime");
  }

  @Test
  void anUpdateChangesMutableFieldsAndNullClearsThem() {
    Memory memory = mapper.newRecord(Memories.COLLECTION, Samples.record("memories", "u"));

    mapper.applyChanges(
        Memories.COLLECTION,
        memory,
        Json.createObjectBuilder().add("strength", 0.1).add("metadata", JsonValue.NULL).build());

    JsonObject json = JsonBodies.object(mapper.view(Memories.COLLECTION, memory, List.of()));
    assertThat(json.getJsonNumber("strength").doubleValue()).isEqualTo(0.1);
    assertThat(json.get("metadata")).isEqualTo(JsonValue.NULL);
    assertThat(json.getString("type")).isEqualTo("success_pattern");
  }

  @Test
  void anUpdateMayNotChangeTheOwnerTheStoresFieldsOrBreakConstraints() {
    Session session = mapper.newRecord(Sessions.COLLECTION, Samples.record("sessions", "u"));
    JsonObject changes =
        Json.createObjectBuilder()
            .add("userId", "someone-else")
            .add("sessionId", "other")
            .add("version", 9)
            .add("startTime", JsonValue.NULL)
            .build();

    assertThatThrownBy(() -> mapper.applyChanges(Sessions.COLLECTION, session, changes))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "userId: cannot be changed once stored",
                        "sessionId: cannot be changed once stored",
                        "version: is assigned by the store",
                        "startTime: must not be null"));
  }

  @Test
  void aProjectionReturnsOnlyTheNamedFields() {
    Memory memory = mapper.newRecord(Memories.COLLECTION, Samples.record("memories", "u"));

    JsonObject json =
        JsonBodies.object(mapper.view(Memories.COLLECTION, memory, List.of("strength", "type")));

    assertThat(json.keySet()).containsExactly("type", "strength");
  }

  @Test
  void noRecordMayBeOwnedByAnIdentityTheStoreReserves() {
    for (String reserved : List.of("unknown", "system", "anonymous", "scheduler", " System ")) {
      JsonObject body = Samples.record("memories", reserved);
      assertThatThrownBy(() -> mapper.newRecord(Memories.COLLECTION, body))
          .as(reserved)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e ->
                  assertThat(e.errors())
                      .containsExactly("userId: is a name the store reserves for its own entries"));
    }
    assertThat(mapper.newRecord(Memories.COLLECTION, Samples.record("memories", "systematic")))
        .isNotNull();
  }

  @Test
  void recordsOfSeveralOwnersAreSealedWithTheirKeysLookedUpTogetherOnceAllAreValid() {
    TaggingProtection tagging = new TaggingProtection();
    List<String> lookups = tagging.lookUps();
    RecordMapper sealing =
        new RecordMapper(Validation.buildDefaultValidatorFactory().getValidator(), tagging);
    List<JsonObject> bodies =
        List.of(
            Samples.record("memories", "bob"),
            Samples.record("memories", "alice"),
            Samples.record("memories", "bob"));

    List<Memory> memories = sealing.newRecords(Memories.COLLECTION, bodies);

    assertThat(lookups.get(0)).isEqualTo("alice,bob"); // one lookup for both, then their sealers
    assertThat(memories).extracting(Memory::getUserId).containsExactly("bob", "alice", "bob");
    for (Memory memory : memories) {
      assertThat(JsonBodies.object(sealing.view(Memories.COLLECTION, memory, List.of("patterns"))))
          .hasToString(
              "{\"patterns\":\""
                  + memory.getUserId()
                  + ":[\\\"calm-after-walk\\\",\\\"tea\\\"]\"}");
    }

    lookups.clear();
    List<JsonObject> oneInvalid =
        List.of(
            Samples.record("memories", "alice"),
            Json.createObjectBuilder(Samples.record("memories", "bob")).add("strength", 7).build());
    assertThatThrownBy(() -> sealing.newRecords(Memories.COLLECTION, oneInvalid))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(lookups).as("no key looked up for an invalid request").isEmpty();
  }

  @Test
  void everyCollectionTakesSeveralRecordsInOneRequest() {
    for (CollectionDescriptor<?> collection : ALL) {
      List<JsonObject> bodies =
          List.of(
              Samples.record(collection.name(), "user-1"),
              Samples.record(collection.name(), "user-2"));

      assertThat(mapper.newRecords(collection, bodies)).as(collection.name()).hasSize(2);
    }
  }
}
