package io.smlguardian.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.RegisteredCollections;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is MongoDB's own in its store (what every store promises is the contract's, {@code
 * backend.RecordStoreOnMongoTest}): the documents' representation, JSON kept exactly, the sizes
 * collStats reports, and the connection string. Against an in-process server speaking MongoDB's
 * wire protocol (mongo-java-server), or against a real MongoDB when {@code MONGO_URI} is set. Each
 * test works in a database of its own, dropped afterwards, so that a real server's data is never
 * touched.
 */
class MongoRecordStoreTest {

  private static final List<CollectionDescriptor<?>> ALL = RegisteredCollections.registry().all();

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
  void connectNeedsTheDatabaseInTheConnectionString() {
    assertThatThrownBy(() -> MongoRecordStore.connect("mongodb://localhost:1", ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name the database");
  }

  // --- helpers -------------------------------------------------------------------------------

  private <E extends StoredRecord> E insert(CollectionDescriptor<E> c, JsonObject body) {
    E record = mapper.newRecord(c, body);
    store.insert(c, List.of(record));
    return record;
  }

  private JsonObject json(CollectionDescriptor<?> c, StoredRecord record) {
    return read(mapper.view(c, record, List.of())).asJsonObject();
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
