package io.smlguardian.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.privacy.Erasures;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restore's staging on the MongoDB store (against mongo-java-server, in process): records staged
 * stay out of the collection until switched in; a switch replaces, keeps what was written since a
 * time, or merges by id; erasures leave the staged records of users erased after they were written
 * out.
 */
class MongoStagingTest {

  private static final CollectionDescriptor<?> INTERACTIONS = Interactions.COLLECTION;
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.000001Z");

  private static MongoServer server;
  private static MongoClient client;
  private MongoDatabase database;
  private MongoRecordStore store;

  @BeforeAll
  static void connect() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
  }

  @AfterAll
  static void disconnect() {
    client.close();
    server.shutdownNow();
  }

  @BeforeEach
  void newDatabase() {
    database = client.getDatabase("staging_test_" + UUID.randomUUID().toString().substring(0, 8));
    store = new MongoRecordStore(database, List.of(INTERACTIONS, Erasures.ERASURES));
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  @Test
  void stagedRecordsReachTheCollectionOnlyWhenSwitchedInAndThenReplaceIt() {
    StoredRecord a = interaction("u", T0);
    StoredRecord b = interaction("u", T0);
    StoredRecord c = interaction("v", T0);
    restore(INTERACTIONS, List.of(a, b));
    stage(INTERACTIONS, List.of(c));

    assertThat(ids(INTERACTIONS)).containsExactlyInAnyOrder(a.getId(), b.getId());
    assertThat(store.switchStaged(INTERACTIONS, true, null)).isEqualTo(1);
    assertThat(ids(INTERACTIONS)).containsExactly(c.getId());

    store.clearStaging(INTERACTIONS);
    assertThat(store.switchStaged(INTERACTIONS, false, null)).isZero();
  }

  @Test
  void aReplaceKeepsWhatWasWrittenSinceTheGivenTime() {
    StoredRecord before = interaction("u", T0);
    StoredRecord since = interaction("u", T0.plusSeconds(10));
    StoredRecord staged = interaction("u", T0.plusSeconds(1));
    restore(INTERACTIONS, List.of(before, since));
    stage(INTERACTIONS, List.of(staged));

    store.switchStaged(INTERACTIONS, true, T0.plusSeconds(5));

    assertThat(ids(INTERACTIONS)).containsExactlyInAnyOrder(since.getId(), staged.getId());
  }

  @Test
  void aMergeAddsOnlyTheRecordsWhoseIdTheCollectionLacks() {
    StoredRecord kept = interaction("u", T0);
    StoredRecord added = interaction("v", T0);
    restore(INTERACTIONS, List.of(kept));
    stage(INTERACTIONS, List.of(kept, added));

    assertThat(store.switchStaged(INTERACTIONS, false, null)).isEqualTo(1);

    assertThat(ids(INTERACTIONS)).containsExactlyInAnyOrder(kept.getId(), added.getId());
  }

  @Test
  void stagedRecordsOfAUserErasedAfterTheyWereWrittenAreLeftOut() {
    StoredRecord erasure = Erasures.ERASURES.blankRecord();
    write(
        Erasures.ERASURES,
        erasure,
        Map.of(
            "id",
            UUID.randomUUID(),
            "createdAt",
            T0.plusSeconds(5),
            "version",
            1L,
            "userId",
            "u",
            "erasedAt",
            T0.plusSeconds(5),
            "erasedBy",
            "officer"));
    restore(Erasures.ERASURES, List.of(erasure));
    StoredRecord erased = interaction("u", T0);
    StoredRecord writtenAfter = interaction("u", T0.plusSeconds(10));
    StoredRecord other = interaction("v", T0);
    stage(INTERACTIONS, List.of(erased, writtenAfter, other));

    assertThat(store.dropStagedErased(INTERACTIONS, Erasures.ERASURES)).isEqualTo(1);
    store.switchStaged(INTERACTIONS, true, null);

    assertThat(ids(INTERACTIONS)).containsExactlyInAnyOrder(writtenAfter.getId(), other.getId());
  }

  private StoredRecord interaction(String user, Instant createdAt) {
    StoredRecord record = INTERACTIONS.blankRecord();
    write(
        INTERACTIONS,
        record,
        Map.of(
            "id", UUID.randomUUID(),
            "createdAt", createdAt,
            "version", 1L,
            "userId", user,
            "timestamp", createdAt));
    return record;
  }

  private static void write(
      CollectionDescriptor<?> collection, StoredRecord record, Map<String, Object> fields) {
    fields.forEach(
        (name, value) -> collection.schema().field(name).orElseThrow().write(record, value));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void restore(CollectionDescriptor<?> collection, List<StoredRecord> records) {
    store.restore((CollectionDescriptor) collection, records);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void stage(CollectionDescriptor<?> collection, List<StoredRecord> records) {
    store.stage((CollectionDescriptor) collection, records);
  }

  private List<UUID> ids(CollectionDescriptor<?> collection) {
    return store
        .find(collection, new RecordQuery(List.of(), List.of(), 1000, 0, List.of()))
        .stream()
        .map(StoredRecord::getId)
        .toList();
  }
}
