package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.security.AccessDeniedException;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Role;
import io.smlguardian.store.testsupport.InProcessMongo;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TaggingProtection;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.validation.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service's rules outside the server: limits, access scopes, version checks, all-or-nothing
 * inserts and what it records in the audit trail. Its store is the MongoDB store on an in-process
 * server (the contract suite shows every store behaves alike), here and there told to promise
 * atomic writes; the audit trail is a recorder of its calls.
 */
class RecordServiceTest {

  private static final int MAX_RECORDS = 3;

  @RegisterExtension static final InProcessMongo MONGO = new InProcessMongo();

  private final CollectionRegistry registry = RegisteredCollections.registry();
  private final RecordMapper mapper =
      new RecordMapper(
          Validation.buildDefaultValidatorFactory().getValidator(), FieldProtection.NONE);
  private final List<String> audited = new ArrayList<>();
  private final Caller service = new Caller("svc", Set.of(Role.SERVICE), "10.0.0.1");
  private final Caller alice = new Caller("alice", Set.of(Role.USER), "10.0.0.2");

  private MongoDatabase database;
  private MongoRecordStore store;
  private boolean atomicWrites;
  private AccessRecorder recorder;
  private RecordService records;

  @BeforeEach
  void newService() {
    database = MONGO.newDatabase("service_");
    store =
        new MongoRecordStore(database, registry.all()) {
          @Override
          public boolean supportsAtomicWrites() {
            return atomicWrites;
          }
        };
    recorder =
        new AccessRecorder() {
          @Override
          public void accessed(
              Caller caller,
              CollectionDescriptor<?> collection,
              AccessOperation operation,
              Set<String> owners) {
            audited.add(caller.subject() + " " + operation + " " + collection + " " + owners);
          }

          @Override
          public boolean readIfUnchanged(Caller caller, Copy copy) {
            return false; // the cache is off here (ReadCacheTest covers it)
          }

          /** As the audit trail's shared commit: the record, its read recorded when in scope. */
          @Override
          public <E extends StoredRecord> Optional<E> readById(
              Caller caller, CollectionDescriptor<E> collection, UUID id, Optional<String> scope) {
            Optional<E> found = store.findById(collection, id);
            found.ifPresent(
                record -> {
                  String owner = record instanceof OwnedRecord owned ? owned.getUserId() : null;
                  if (scope.isEmpty() || scope.get().equals(owner)) {
                    accessed(
                        caller,
                        collection,
                        AccessOperation.READ,
                        owner == null ? Set.of() : Set.of(owner));
                  }
                });
            return found;
          }

          /** As the audit trail's shared commit: the records stored, then their insert recorded. */
          @Override
          public <E extends StoredRecord> void insertShared(
              Caller caller, NewRecords<E> records, Set<String> owners) {
            store.insertFinished(records.collection(), mapper.sealed(records));
            accessed(caller, records.collection(), AccessOperation.INSERT, owners);
          }
        };
    records = serviceWith(mapper);
  }

  private RecordService serviceWith(RecordMapper mapper) {
    return new RecordService(
        registry,
        store,
        mapper,
        new CollectionConfig(100, 1000, 10_000, MAX_RECORDS, false),
        recorder,
        new RecordReads(store, mapper),
        new ReadCache(0, FieldProtection.NONE, recorder),
        new AtomicWrites(store, store));
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  @Test
  void anInsertIsStoredAtItsFirstVersionAndAudited() {
    RecordView view = records.insert(service, "memories", memory("bob"));

    assertThat(view.version()).isEqualTo(1);
    assertThat(store.findById(Memories.COLLECTION, view.id())).isPresent();
    assertThat(audited).containsExactly("svc insert memories [bob]");
  }

  @Test
  void anInsertOfNoRecordOrTooManyIsRefusedAndStoresNothing() {
    atomicWrites = true;
    List<JsonObject> tooMany = List.of(memory("a"), memory("b"), memory("c"), memory("d"));

    assertThatThrownBy(() -> records.insertAll(service, "memories", List.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("1 to " + MAX_RECORDS + " records, got 0");
    assertThatThrownBy(() -> records.insertAll(service, "memories", tooMany))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("got 4");

    assertThat(store.count(Memories.COLLECTION, List.of())).isZero();
    assertThat(audited).isEmpty();
  }

  @Test
  void severalRecordsAreRefusedBeforeAnyWriteWhereTheStoreCannotWriteThemAtomically() {
    atomicWrites = false;

    assertThatThrownBy(
            () -> records.insertAll(service, "memories", List.of(memory("a"), memory("b"))))
        .isInstanceOf(AtomicWritesUnsupportedException.class);

    assertThat(store.count(Memories.COLLECTION, List.of())).isZero();
    assertThat(records.insertAll(service, "memories", List.of(memory("a")))).hasSize(1);
  }

  @Test
  void oneInvalidRecordKeepsEveryRecordOfTheInsertOut() {
    atomicWrites = true;
    JsonObject invalid = Json.createObjectBuilder(memory("b")).add("strength", 7).build();

    assertThatThrownBy(() -> records.insertAll(service, "memories", List.of(memory("a"), invalid)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("strength");

    assertThat(store.count(Memories.COLLECTION, List.of())).isZero();
    assertThat(audited).isEmpty();
  }

  @Test
  void aUserMayNotInsertForAnotherUser() {
    assertThatThrownBy(() -> records.insert(alice, "memories", memory("bob")))
        .isInstanceOf(AccessDeniedException.class);

    assertThat(store.count(Memories.COLLECTION, List.of())).isZero();
  }

  @Test
  void aRecordForAnotherUserIsRefusedBeforeAnyKeyIsLookedUp() {
    TaggingProtection keys = new TaggingProtection();
    RecordService sealing =
        serviceWith(
            new RecordMapper(Validation.buildDefaultValidatorFactory().getValidator(), keys));

    assertThatThrownBy(() -> sealing.insertAll(alice, "memories", List.of(memory("bob"))))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(keys.lookUps()).as("no key made for bob by alice's refused request").isEmpty();

    sealing.insertAll(alice, "memories", List.of(memory("alice")));
    assertThat(keys.lookUps()).containsExactly("alice");
  }

  /** Whatever a user filters on, the service adds their own userId: they see their records only. */
  @Test
  void aUsersQueriesAndCountsAreConfinedToTheirOwnRecords() {
    RecordView own = records.insert(service, "memories", memory("alice"));
    records.insert(service, "memories", memory("bob"));
    audited.clear();

    RecordPage everything = records.find(alice, "memories", Map.of());
    RecordPage bobs = records.find(alice, "memories", Map.of("userId", List.of("eq.bob")));

    assertThat(everything.items())
        .extracting(item -> JsonBodies.object(item).getString("id"))
        .containsExactly(own.id().toString());
    assertThat(bobs.items()).isEmpty();
    assertThat(records.count(alice, "memories", Map.of())).isOne();
    assertThat(records.count(service, "memories", Map.of())).isEqualTo(2);
    // an empty page is recorded for the owner it was confined to
    assertThat(audited)
        .containsExactly(
            "alice query memories [alice]",
            "alice query memories [alice]",
            "alice count memories [alice]",
            "svc count memories []");
  }

  @Test
  void anAccessIsAuditedOncePerOwnerWhoseRecordsItTouched() {
    records.insert(service, "memories", memory("bob"));
    records.insert(service, "memories", memory("carol"));
    records.insert(service, "memories", memory("bob"));
    audited.clear();

    records.find(service, "memories", Map.of());

    assertThat(audited).containsExactly("svc query memories [bob, carol]");
  }

  @Test
  void anotherUsersRecordIsNotFoundForReadUpdateOrDelete() {
    RecordView bobs = records.insert(service, "memories", memory("bob"));
    JsonObject change = Samples.change("memories");

    assertThatThrownBy(() -> records.find(alice, "memories", bobs.id(), null))
        .isInstanceOf(RecordNotFoundException.class);
    assertThatThrownBy(() -> records.update(alice, "memories", bobs.id(), null, change))
        .isInstanceOf(RecordNotFoundException.class);
    assertThatThrownBy(() -> records.delete(alice, "memories", bobs.id(), null))
        .isInstanceOf(RecordNotFoundException.class);

    assertThat(store.findById(Memories.COLLECTION, bobs.id()).orElseThrow().getVersion())
        .isEqualTo(1);
  }

  @Test
  void aWriteNamingAnotherVersionThanTheCurrentOneIsAConflictAndChangesNothing() {
    RecordView view = records.insert(service, "memories", memory("bob"));
    JsonObject change = Samples.change("memories");

    assertThatThrownBy(() -> records.update(service, "memories", view.id(), 2L, change))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("is at version 1, not 2");
    assertThatThrownBy(() -> records.delete(service, "memories", view.id(), 2L))
        .isInstanceOf(VersionConflictException.class);
    assertThat(store.findById(Memories.COLLECTION, view.id()).orElseThrow().getVersion())
        .isEqualTo(1);

    RecordView updated = records.update(service, "memories", view.id(), 1L, change);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(JsonBodies.object(updated.json()).getJsonNumber("strength").doubleValue())
        .isEqualTo(0.95);
    records.delete(service, "memories", view.id(), 2L);
    assertThat(store.findById(Memories.COLLECTION, view.id())).isEmpty();
    assertThatThrownBy(() -> records.delete(service, "memories", view.id(), null))
        .isInstanceOf(RecordNotFoundException.class);
  }

  @Test
  void anUnknownCollectionIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> records.insert(service, "diaries", memory("bob")))
        .isInstanceOf(UnknownCollectionException.class)
        .hasMessageContaining("memories");
  }

  /**
   * The ingest's records, checked by the insert's mapper and access rules, get the client's id or a
   * new one, and the first version; none stored.
   */
  @Test
  void recordsPreparedForIngestAreCheckedAndIdentifiedButNotStored() {
    IngestPreparation ingest = new IngestPreparation(registry, mapper);
    UUID clientId = UUID.randomUUID();
    JsonObject withId =
        Json.createObjectBuilder(memory("bob")).add("id", clientId.toString()).build();

    List<StoredRecord> prepared =
        ingest.prepare(service, "memories", List.of(withId, memory("carol")), FieldProtection.NONE);

    assertThat(prepared.get(0).getId()).isEqualTo(clientId);
    assertThat(prepared.get(1).getId()).isNotNull().isNotEqualTo(clientId);
    assertThat(prepared).allSatisfy(r -> assertThat(r.getVersion()).isEqualTo(1));
    assertThat(prepared).allSatisfy(r -> assertThat(r.getCreatedAt()).isNotNull());
    assertThat(store.count(Memories.COLLECTION, List.of())).isZero();
    JsonObject badId = Json.createObjectBuilder(memory("bob")).add("id", "42").build();
    assertThatThrownBy(
            () -> ingest.prepare(service, "memories", List.of(badId), FieldProtection.NONE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must be a UUID");
    assertThatThrownBy(
            () -> ingest.prepare(alice, "memories", List.of(memory("bob")), FieldProtection.NONE))
        .isInstanceOf(AccessDeniedException.class);
  }

  private static JsonObject memory(String userId) {
    return Samples.record("memories", userId);
  }
}
