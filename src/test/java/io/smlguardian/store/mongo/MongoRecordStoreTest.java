package io.smlguardian.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.QueryLimits;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.dreamcycle.DreamCycles;
import io.smlguardian.store.emotionalstate.EmotionalStates;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.metric.Metrics;
import io.smlguardian.store.profilesnapshot.ProfileSnapshots;
import io.smlguardian.store.session.Sessions;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MongoDB store against an in-process server speaking MongoDB's wire protocol
 * (mongo-java-server), or against a real MongoDB when {@code MONGO_URI} is set. Each test works in
 * a database of its own, dropped afterwards, so that a real server's data is never touched.
 */
class MongoRecordStoreTest {

  private static final List<CollectionDescriptor<?>> ALL =
      List.of(
          Memories.COLLECTION,
          DreamCycles.COLLECTION,
          ProfileSnapshots.COLLECTION,
          EmotionalStates.COLLECTION,
          Interactions.COLLECTION,
          Sessions.COLLECTION,
          AccessLogs.COLLECTION,
          Metrics.COLLECTION);

  private static final QueryParser PARSER = new QueryParser(new QueryLimits(50, 500, 10_000));
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.000001Z");

  private static MongoServer server;
  private static MongoClient client;

  private final RecordMapper mapper =
      new RecordMapper(
          Validation.buildDefaultValidatorFactory().getValidator(), FieldProtection.NONE);
  private MongoDatabase database;
  private MongoRecordStore store;

  @BeforeAll
  static void connect() {
    String uri = System.getenv("MONGO_URI");
    if (uri == null || uri.isBlank()) {
      server = new MongoServer(new MemoryBackend());
      InetSocketAddress address = server.bind();
      uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
    }
    client = MongoClients.create(uri);
  }

  @AfterAll
  static void disconnect() {
    client.close();
    if (server != null) {
      server.shutdownNow();
    }
  }

  @BeforeEach
  void newDatabase() {
    database =
        client.getDatabase("guardian_store_test_" + UUID.randomUUID().toString().substring(0, 8));
    store = new MongoRecordStore(database, ALL);
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  // --- every collection: write, read, version guard, count -------------------------------------

  @Test
  void everyCollectionReadsBackWhatWasInserted() {
    ALL.forEach(this::readsBackWhatWasInserted);
  }

  private <E extends StoredRecord> void readsBackWhatWasInserted(CollectionDescriptor<E> c) {
    JsonObject sample = Samples.record(c.name(), "user-1");
    E record = insert(c, sample);

    assertThat(record.getId()).as(c.name()).isNotNull();
    assertThat(record.getVersion()).as(c.name()).isEqualTo(1);
    assertThat(record.getCreatedAt().getNano() % 1_000).as(c.name()).isZero();
    E found = store.findById(c, record.getId()).orElseThrow();
    JsonObject json = json(c, found);
    assertThat(json).as(c.name()).isEqualTo(json(c, record));
    // microsecond times and JSON fields included
    sample.forEach(
        (field, value) -> assertThat(json.get(field)).as(c + "." + field).isEqualTo(value));
    assertThat(store.findById(c, UUID.randomUUID())).as(c.name()).isEmpty();
  }

  @Test
  void storageSizeGrowsWithTheDocuments() {
    StorageSize empty = store.storageSize(Memories.COLLECTION);
    for (int i = 0; i < 50; i++) {
      insert(Memories.COLLECTION, Samples.record("memories", "user-" + i));
    }

    StorageSize filled = store.storageSize(Memories.COLLECTION);

    assertThat(filled.known()).as(filled.measure()).isTrue();
    assertThat(filled.measure()).contains("collStats");
    assertThat(filled.bytes()).isGreaterThan(empty.known() ? empty.bytes() : 0);
  }

  @Test
  void documentsHoldTheDocumentedRepresentation() {
    StoredRecord memory = insert(Memories.COLLECTION, Samples.record("memories", "user-1"));

    BsonDocument document = database.getCollection("memories", BsonDocument.class).find().first();
    assertThat(document.getString("_id").getValue()).isEqualTo(memory.getId().toString());
    assertThat(document.containsKey("id")).isFalse();
    Instant timestamp = Instant.parse("2026-11-20T10:15:30.123456Z");
    assertThat(document.getInt64("timestamp").getValue())
        .isEqualTo(timestamp.getEpochSecond() * 1_000_000 + 123_456);
    assertThat(document.get("createdAt").getBsonType()).isEqualTo(BsonType.INT64);
    assertThat(document.get("version").getBsonType()).isEqualTo(BsonType.INT64);
    assertThat(document.get("strength").getBsonType()).isEqualTo(BsonType.DOUBLE);
    assertThat(document.getString("userId").getValue()).isEqualTo("user-1");
    assertThat(document.getArray("patterns").get(0).asString().getValue())
        .isEqualTo("calm-after-walk");
    assertThat(document.getDocument("metadata").get("n").getBsonType()).isEqualTo(BsonType.INT32);
  }

  @Test
  void timesKeepMicrosecondsBeforeAndAfter1970() {
    for (String text :
        List.of(
            "1969-12-31T23:59:59.999999Z",
            "1900-01-01T00:00:00.000001Z",
            "2026-11-20T10:15:30.000007Z")) {
      Instant instant = Instant.parse(text);
      assertThat(RecordDocuments.instant(RecordDocuments.epochMicros(instant))).isEqualTo(instant);
    }
    assertThat(RecordDocuments.epochMicros(Instant.parse("1969-12-31T23:59:59.999999Z")))
        .isEqualTo(-1);
  }

  @Test
  void jsonComesBackWithTheSameValues() {
    String metadata =
        """
        {"int": 3, "long": 9007199254740993, "big": 123456789012345678901234567890,
         "tenth": 0.1, "precise": 0.12345678901234567890123, "tiny": -2.5e-7, "huge": 1e400,
         "trailingZero": 1.50, "text": "é \\u0000 \\"quoted\\"", "yes": true, "no": false, "nothing": null,
         "nested": [1, [true, null], {"a.b": "dotted", "$where": "dollar"}], "empty": {}, "none": []}
        """;
    JsonObject body =
        Json.createObjectBuilder(Samples.record("memories", "user-1"))
            .add("metadata", read(metadata))
            .add("patterns", read("[\"x\", 2.5, {\"k\": [ ]}]"))
            .build();
    StoredRecord memory = insert(Memories.COLLECTION, body);

    JsonObject found =
        json(
            Memories.COLLECTION, store.findById(Memories.COLLECTION, memory.getId()).orElseThrow());
    assertThat(normalized(found.get("metadata"))).isEqualTo(normalized(read(metadata)));
    assertThat(found.get("patterns")).isEqualTo(body.get("patterns"));
    JsonObject stored = found.getJsonObject("metadata");
    // exactly, not only by value: integers stay integers and decimals keep their digits
    for (String key : List.of("int", "long", "big", "tenth", "precise", "tiny", "text", "nested")) {
      assertThat(stored.get(key)).as(key).isEqualTo(read(metadata).asJsonObject().get(key));
    }
    assertThat(stored.getJsonNumber("trailingZero").bigDecimalValue()).isEqualByComparingTo("1.5");
  }

  @Test
  void everyCollectionUpdatesAdvanceTheVersionAndPersist() {
    ALL.forEach(this::updateAdvancesTheVersion);
  }

  private <E extends StoredRecord> void updateAdvancesTheVersion(CollectionDescriptor<E> c) {
    E record = insert(c, Samples.record(c.name(), "user-1"));
    E found = store.findById(c, record.getId()).orElseThrow();
    JsonObject change = Samples.change(c.name());

    mapper.applyChanges(c, found, change);
    store.update(c, found);

    assertThat(found.getVersion()).as(c.name()).isEqualTo(2);
    JsonObject stored = json(c, store.findById(c, record.getId()).orElseThrow());
    assertThat(stored).as(c.name()).isEqualTo(json(c, found));
    change.forEach(
        (field, value) -> assertThat(stored.get(field)).as(c + "." + field).isEqualTo(value));
    assertThat(stored.get("createdAt")).isEqualTo(json(c, record).get("createdAt"));
  }

  @Test
  void everyCollectionRefusesAStaleUpdateAndKeepsWhatIsStored() {
    ALL.forEach(this::staleUpdateConflicts);
  }

  private <E extends StoredRecord> void staleUpdateConflicts(CollectionDescriptor<E> c) {
    E record = insert(c, Samples.record(c.name(), "user-1"));
    E first = store.findById(c, record.getId()).orElseThrow();
    E stale = store.findById(c, record.getId()).orElseThrow();
    mapper.applyChanges(c, first, Samples.change(c.name()));
    store.update(c, first);
    JsonObject stored = json(c, store.findById(c, record.getId()).orElseThrow());

    // Had it been written, the stale copy would have undone the first change.
    assertThatThrownBy(() -> store.update(c, stale))
        .as(c.name())
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining(record.getId().toString());

    assertThat(stale.getVersion()).as(c.name()).isEqualTo(1);
    assertThat(json(c, store.findById(c, record.getId()).orElseThrow()))
        .as(c.name())
        .isEqualTo(stored);
  }

  @Test
  void everyCollectionDeletesOnlyTheCurrentVersion() {
    ALL.forEach(this::deleteIsGuarded);
  }

  private <E extends StoredRecord> void deleteIsGuarded(CollectionDescriptor<E> c) {
    E record = insert(c, Samples.record(c.name(), "user-1"));
    E stale = store.findById(c, record.getId()).orElseThrow();
    E current = store.findById(c, record.getId()).orElseThrow();
    store.update(c, current);

    assertThatThrownBy(() -> store.delete(c, stale))
        .as(c.name())
        .isInstanceOf(VersionConflictException.class);
    assertThat(store.findById(c, record.getId())).as(c.name()).isPresent();

    store.delete(c, current);
    assertThat(store.findById(c, record.getId())).as(c.name()).isEmpty();
    assertThatThrownBy(() -> store.delete(c, current))
        .as(c.name() + ", already deleted")
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void everyCollectionCountsWhatTheFiltersMatch() {
    ALL.forEach(this::countsWithFilters);
  }

  private <E extends StoredRecord> void countsWithFilters(CollectionDescriptor<E> c) {
    List<E> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonObject body =
          Json.createObjectBuilder(Samples.record(c.name(), i < 3 ? "user-a" : "user-b"))
              .add(c.timeField(), T0.plusSeconds(60L * i).toString())
              .build();
      records.add(mapper.newRecord(c, body));
    }
    store.insert(c, records);
    String fromFourth = c.timeField() + "=gte." + T0.plusSeconds(180);

    assertThat(store.count(c, List.of())).as(c.name()).isEqualTo(5);
    assertThat(store.count(c, filters(c, fromFourth))).as(c.name()).isEqualTo(2);
    assertThat(
            store.count(
                c, filters(c, "id=in.(" + records.get(0).getId() + "," + UUID.randomUUID() + ")")))
        .as(c.name())
        .isEqualTo(1);
    if (c.owned()) {
      assertThat(store.count(c, filters(c, "userId=eq.user-a"))).as(c.name()).isEqualTo(3);
      assertThat(store.count(c, filters(c, "userId=eq.user-b", fromFourth))).isEqualTo(2);
      assertThat(store.count(c, filters(c, "userId=eq.user-a", fromFourth))).isZero();
    }
  }

  @Test
  void everyCollectionWalksItsRecordsInTimeThenIdOrder() {
    ALL.forEach(this::walksInTimeOrder);
  }

  /** What the retention job reads: the key some places after the last one, ties by id. */
  private <E extends StoredRecord> void walksInTimeOrder(CollectionDescriptor<E> c) {
    List<E> records = new ArrayList<>();
    long[] offsets = {-5, -3, -3, -3, -1, 2, 4};
    for (long offset : offsets) {
      JsonObject body =
          Json.createObjectBuilder(Samples.record(c.name(), "user-a"))
              .add(c.timeField(), T0.plusSeconds(offset).toString())
              .build();
      records.add(mapper.newRecord(c, body));
    }
    store.insert(c, records);
    List<Filter> expired = filters(c, c.timeField() + "=lt." + T0);
    List<TimeKey> expected =
        records.subList(0, 5).stream()
            .map(r -> new TimeKey(T0.plusSeconds(offsets[records.indexOf(r)]), r.getId()))
            .sorted(Comparator.comparing(TimeKey::time).thenComparing(k -> k.id().toString()))
            .toList();

    List<TimeKey> walked = new ArrayList<>();
    TimeKey after = null;
    for (var key = store.timeKeyAt(c, expired, null, 1);
        key.isPresent();
        key = store.timeKeyAt(c, expired, after, 1)) {
      walked.add(key.get());
      after = key.get();
    }

    assertThat(walked).as(c.name()).isEqualTo(expected);
    // Two places on: across the tie at -3 s, and past the end.
    assertThat(store.timeKeyAt(c, expired, expected.get(1), 2)).contains(expected.get(3));
    assertThat(store.timeKeyAt(c, expired, expected.get(3), 2)).isEmpty();
    assertThat(store.timeKeyAt(c, List.of(), null, 7)).isPresent();
    assertThat(store.timeKeyAt(c, List.of(), null, 8)).isEmpty();

    // Ranges of that order, as the purge counts and deletes them: the tie at -3 s is cut by id.
    TimeKeyRange second = new TimeKeyRange(expected.get(1), expected.get(3));
    assertThat(store.count(c, expired, new TimeKeyRange(null, expected.get(1)))).isEqualTo(2);
    assertThat(store.count(c, expired, second)).isEqualTo(2);
    assertThat(store.deleteMatching(c, expired, second)).as(c.name()).isEqualTo(2);
    assertThat(store.findById(c, expected.get(2).id())).isEmpty();
    assertThat(store.findById(c, expected.get(1).id())).isPresent();
    assertThat(store.deleteMatching(c, expired, TimeKeyRange.after(expected.get(3)))).isEqualTo(1);
    assertThat(store.count(c, expired)).isEqualTo(2);
    assertThat(store.count(c, List.of())).isEqualTo(4);
  }

  // --- queries -------------------------------------------------------------------------------

  /** An emotional state as inserted, to compute what a query should return. */
  private record State(
      UUID id, String userId, String emotion, double intensity, Double stability, Instant time) {}

  /**
   * States with ties on every sort key, nulls, and times one microsecond apart (the same
   * millisecond).
   */
  private List<State> insertStates() {
    Object[][] rows = {
      {"u", "joy", 0.9, 0.5, 1},
      {"u", "joy", 0.5, null, 2},
      {"u", "calm", 0.5, 0.8, 3},
      {"u", "calm", 0.2, null, 4},
      {"u", "anger", 0.7, 0.1, 5},
      {"u", "joy", 0.5, 0.5, 3},
      {"u", "calm", 0.5, 0.8, 6},
      {"other", "joy", 0.3, 0.3, 7},
    };
    List<State> states = new ArrayList<>();
    for (Object[] row : rows) {
      Instant time = T0.plusNanos(1_000L * (Integer) row[4]);
      var body =
          Json.createObjectBuilder()
              .add("userId", (String) row[0])
              .add("emotion", (String) row[1])
              .add("intensity", (Double) row[2])
              .add("timestamp", time.toString());
      if (row[3] != null) {
        body.add("stability", (Double) row[3]);
      }
      StoredRecord record = insert(EmotionalStates.COLLECTION, body.build());
      states.add(
          new State(
              record.getId(),
              (String) row[0],
              (String) row[1],
              (Double) row[2],
              (Double) row[3],
              time));
    }
    return states;
  }

  @Test
  void everyOperatorMatchesAsOnTheRelationalStore() {
    List<State> states = insertStates();
    State first = states.get(0);
    State second = states.get(1);
    Map<String, Predicate<State>> cases = new LinkedHashMap<>();
    cases.put("emotion=eq.joy", s -> s.emotion().equals("joy"));
    cases.put("emotion=neq.joy", s -> !s.emotion().equals("joy"));
    cases.put("emotion=not.eq.joy", s -> !s.emotion().equals("joy"));
    cases.put("intensity=gt.0.5", s -> s.intensity() > 0.5);
    cases.put("intensity=gte.0.5", s -> s.intensity() >= 0.5);
    cases.put("intensity=lt.0.5", s -> s.intensity() < 0.5);
    cases.put("intensity=lte.0.5", s -> s.intensity() <= 0.5);
    cases.put("intensity=not.gt.0.5", s -> s.intensity() <= 0.5);
    cases.put("emotion=in.(joy,calm)", s -> !s.emotion().equals("anger"));
    cases.put("emotion=not.in.(joy,calm)", s -> s.emotion().equals("anger"));
    cases.put("stability=is.null", s -> s.stability() == null);
    cases.put("stability=not.is.null", s -> s.stability() != null);
    // SQL's meaning: a comparison with null holds neither as asked nor negated.
    cases.put("stability=neq.0.5", s -> s.stability() != null && s.stability() != 0.5);
    cases.put("stability=not.gte.0.5", s -> s.stability() != null && s.stability() < 0.5);
    cases.put("stability=not.in.(0.5,0.8)", s -> s.stability() != null && s.stability() < 0.5);
    cases.put("stability=lt.0.6", s -> s.stability() != null && s.stability() < 0.6);
    // one microsecond apart, within one millisecond
    cases.put("timestamp=gt." + first.time(), s -> s.time().isAfter(first.time()));
    cases.put("timestamp=lte." + second.time(), s -> !s.time().isAfter(second.time()));
    cases.put("timestamp=eq." + second.time(), s -> s.time().equals(second.time()));
    cases.put("id=eq." + first.id(), s -> s.id().equals(first.id()));
    cases.put("id=in.(" + first.id() + "," + second.id() + ")", s -> s == first || s == second);
    cases.put("userId=not.eq.u", s -> s.userId().equals("other"));

    cases.forEach(
        (filter, expected) ->
            assertThat(ids(EmotionalStates.COLLECTION, filter))
                .as(filter)
                .containsExactlyInAnyOrderElementsOf(
                    states.stream().filter(expected).map(State::id).toList()));

    assertThat(
            ids(
                EmotionalStates.COLLECTION,
                "userId=eq.u",
                "emotion=eq.joy",
                "intensity=gte.0.5",
                "stability=not.is.null"))
        .containsExactlyInAnyOrder(states.get(0).id(), states.get(5).id());
  }

  @Test
  void ordersByEveryKeyThenById() {
    List<State> states = insertStates();
    Comparator<State> byId = Comparator.comparing(s -> s.id().toString());

    assertThat(ids(EmotionalStates.COLLECTION, "order=emotion.asc,intensity.desc"))
        .containsExactlyElementsOf(
            sorted(
                states,
                Comparator.comparing(State::emotion)
                    .thenComparing(State::intensity, Comparator.reverseOrder())
                    .thenComparing(byId)));
    assertThat(ids(EmotionalStates.COLLECTION, "order=intensity,timestamp.desc"))
        .containsExactlyElementsOf(
            sorted(
                states,
                Comparator.comparing(State::intensity)
                    .thenComparing(State::time, Comparator.reverseOrder())
                    .thenComparing(byId)));
    assertThat(ids(EmotionalStates.COLLECTION, "order=id.desc"))
        .containsExactlyElementsOf(sorted(states, byId.reversed()));
  }

  @Test
  void theDefaultOrderIsNewestFirst() {
    List<State> states = insertStates();

    assertThat(ids(EmotionalStates.COLLECTION))
        .containsExactlyElementsOf(
            sorted(
                states,
                Comparator.comparing(State::time, Comparator.reverseOrder())
                    .thenComparing(s -> s.id().toString())));
  }

  @Test
  void nullsSortBeforeEveryValueUnlikeOnPostgresql() {
    List<State> states = insertStates();

    List<UUID> ascending = ids(EmotionalStates.COLLECTION, "order=stability");
    assertThat(ascending.subList(0, 2))
        .containsExactlyInAnyOrder(states.get(1).id(), states.get(3).id());
  }

  @Test
  void pagesAreDisjointStableAndCoverEverything() {
    insertStates();
    String order = "order=emotion"; // ties, so only the id tiebreak makes pages stable
    List<UUID> all = ids(EmotionalStates.COLLECTION, order);

    List<UUID> paged = new ArrayList<>();
    for (int offset = 0; offset < all.size(); offset += 3) {
      List<UUID> page = ids(EmotionalStates.COLLECTION, order, "limit=3", "offset=" + offset);
      assertThat(page).hasSizeLessThanOrEqualTo(3);
      assertThat(new HashSet<>(paged)).as("earlier pages").doesNotContainAnyElementsOf(page);
      assertThat(ids(EmotionalStates.COLLECTION, order, "limit=3", "offset=" + offset))
          .as("the same page again")
          .isEqualTo(page);
      paged.addAll(page);
    }
    assertThat(all).hasSize(8);
    assertThat(paged).isEqualTo(all);
    assertThat(ids(EmotionalStates.COLLECTION, order, "limit=3", "offset=8")).isEmpty();
  }

  @Test
  void memoriesFilterAndSortOnTheirOwnFields() {
    List<StoredRecord> memories = new ArrayList<>();
    double[] strengths = {0.2, 0.9, 0.9, 0.5};
    String[] types = {"success_pattern", "failure_pattern", "success_pattern", "success_pattern"};
    for (int i = 0; i < strengths.length; i++) {
      memories.add(
          insert(
              Memories.COLLECTION,
              Json.createObjectBuilder(Samples.record("memories", "u"))
                  .add("type", types[i])
                  .add("strength", strengths[i])
                  .build()));
    }
    UUID low = memories.get(0).getId();
    UUID top = memories.get(2).getId();
    UUID mid = memories.get(3).getId();

    assertThat(
            ids(
                Memories.COLLECTION,
                "type=eq.success_pattern",
                "strength=gte.0.5",
                "order=strength.desc"))
        .containsExactly(top, mid);
    assertThat(
            ids(
                Memories.COLLECTION,
                "type=not.eq.failure_pattern",
                "strength=lt.0.9",
                "order=strength"))
        .containsExactly(low, mid);
    List<UUID> strongest = ids(Memories.COLLECTION, "order=strength.desc", "limit=2");
    assertThat(strongest)
        .containsExactlyElementsOf(
            sortedRecords(memories.subList(1, 3), Comparator.comparing(r -> r.getId().toString())));
  }

  @Test
  void booleansMatchIsTrueAndIsFalse() {
    StoredRecord granted = insert(AccessLogs.COLLECTION, Samples.record("access_logs", "u"));
    StoredRecord refused =
        insert(
            AccessLogs.COLLECTION,
            Json.createObjectBuilder(Samples.record("access_logs", "u"))
                .add("success", false)
                .build());

    assertThat(ids(AccessLogs.COLLECTION, "success=is.true")).containsExactly(granted.getId());
    assertThat(ids(AccessLogs.COLLECTION, "success=is.false")).containsExactly(refused.getId());
    assertThat(ids(AccessLogs.COLLECTION, "success=not.is.true")).containsExactly(refused.getId());
    assertThat(ids(AccessLogs.COLLECTION, "success=eq.true")).containsExactly(granted.getId());
  }

  @Test
  void connectNeedsTheDatabaseInTheConnectionString() {
    assertThatThrownBy(() -> MongoRecordStore.connect("mongodb://localhost:1", ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name the database");
  }

  // --- helpers -------------------------------------------------------------------------------

  @Test
  void insertIfAbsentStoresEachIdOnceAndLeavesStoredRecordsAsTheyAre() {
    ALL.forEach(this::insertsIfAbsent);
  }

  private <E extends StoredRecord> void insertsIfAbsent(CollectionDescriptor<E> c) {
    E stored = insert(c, Samples.record(c.name(), "user-1"));
    E replayed = mapper.newRecord(c, Samples.record(c.name(), "user-2"));
    c.schema().field("id").orElseThrow().write(replayed, stored.getId());
    replayed.assignIdentity();
    E fresh = mapper.newRecord(c, Samples.record(c.name(), "user-3"));
    fresh.assignIdentity();
    c.schema().field("version").orElseThrow().write(fresh, 1L);

    assertThat(store.insertIfAbsent(c, List.of(replayed, fresh))).as(c.name()).isEqualTo(1);
    assertThat(store.insertIfAbsent(c, List.of(replayed, fresh))).as(c.name()).isZero();

    assertThat(store.count(c, List.of())).as(c.name()).isEqualTo(2);
    assertThat(json(c, store.findById(c, stored.getId()).orElseThrow()))
        .as(c.name())
        .isEqualTo(json(c, stored));
    E found = store.findById(c, fresh.getId()).orElseThrow();
    assertThat(json(c, found)).as(c.name()).isEqualTo(json(c, fresh));
    assertThat(found.getVersion()).as(c.name()).isEqualTo(1);
  }

  private <E extends StoredRecord> E insert(CollectionDescriptor<E> c, JsonObject body) {
    E record = mapper.newRecord(c, body);
    store.insert(c, List.of(record));
    return record;
  }

  private JsonObject json(CollectionDescriptor<?> c, StoredRecord record) {
    return mapper.toJson(c, record, List.of());
  }

  private List<UUID> ids(CollectionDescriptor<?> c, String... params) {
    return store.find(c, PARSER.query(c, params(params))).stream()
        .map(StoredRecord::getId)
        .toList();
  }

  private static List<Filter> filters(CollectionDescriptor<?> c, String... params) {
    return PARSER.filters(c, params(params));
  }

  private static Map<String, List<String>> params(String... params) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (String param : params) {
      int equals = param.indexOf('=');
      map.computeIfAbsent(param.substring(0, equals), k -> new ArrayList<>())
          .add(param.substring(equals + 1));
    }
    return map;
  }

  private static List<UUID> sorted(List<State> states, Comparator<State> order) {
    return states.stream().sorted(order).map(State::id).toList();
  }

  private static <R extends StoredRecord> List<UUID> sortedRecords(
      List<R> records, Comparator<R> order) {
    return records.stream().sorted(order).map(StoredRecord::getId).toList();
  }

  private static JsonValue read(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readValue();
    }
  }

  /** JSON compared by value: numbers as their value, whatever their spelling. */
  private static Object normalized(JsonValue json) {
    return switch (json.getValueType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        json.asJsonObject().forEach((k, v) -> map.put(k, normalized(v)));
        yield map;
      }
      case ARRAY -> json.asJsonArray().stream().map(MongoRecordStoreTest::normalized).toList();
      case NUMBER -> {
        BigDecimal value = ((JsonNumber) json).bigDecimalValue();
        yield value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
      }
      default -> json;
    };
  }
}
