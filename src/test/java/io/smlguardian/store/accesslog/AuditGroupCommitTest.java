package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.interaction.Interaction;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.mongo.MongoRecordStore;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit group commit's conditional entries, which the read cache relies on: an entry committed
 * on the condition that a record is still stored in a cached state is committed exactly when it is,
 * checked in the commit's own transaction. In process, on the MongoDB store against an in-process
 * server (the same store code as the mongodb server's; the relational stores' query is exercised by
 * the ITs on every backend).
 */
class AuditGroupCommitTest {

  private static final CollectionDescriptor<Interaction> INTERACTIONS = Interactions.COLLECTION;

  private static MongoServer server;
  private static MongoClient client;

  private MongoDatabase database;
  private MongoRecordStore store;
  private AuditGroupCommit.Writer writer;
  private AuditGroupCommit commit;

  @BeforeAll
  static void startServer() {
    server = new MongoServer(new MemoryBackend());
    InetSocketAddress address = server.bind();
    client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.shutdownNow();
  }

  @BeforeEach
  void newStore() {
    database = client.getDatabase("commit_" + UUID.randomUUID().toString().substring(0, 8));
    store = new MongoRecordStore(database, List.of(AccessLogs.COLLECTION, INTERACTIONS));
    writer = new AuditGroupCommit.Writer(store);
    commit = new AuditGroupCommit(writer);
  }

  @AfterEach
  void dropStore() {
    database.drop();
  }

  private Interaction stored(String user) {
    Interaction record = INTERACTIONS.blankRecord();
    write(record, "userId", user);
    write(record, "sessionId", "s-1");
    write(record, "type", "message");
    write(record, "timestamp", Instant.parse("2026-12-01T10:00:00Z"));
    store.insert(INTERACTIONS, List.of(record));
    return store.findById(INTERACTIONS, record.getId()).orElseThrow();
  }

  private static void write(StoredRecord record, String field, Object value) {
    INTERACTIONS.schema().field(field).orElseThrow().write(record, value);
  }

  private static AccessRecorder.Copy copyOf(Interaction record) {
    return new AccessRecorder.Copy(
        INTERACTIONS, record.getId(), record.getUserId(), RecordCache.Stamp.of(record));
  }

  private static List<AccessLog> readEntry(String user) {
    return List.of(
        new AccessLog(
            user, "svc", "read", "interactions", "read", Instant.now(), "10.0.0.1", true, null));
  }

  private long entries() {
    return store.count(AccessLogs.COLLECTION, List.of());
  }

  @Test
  void commitsTheEntryOfACopyThatStillMatches() {
    Interaction record = stored("u1");

    assertThat(commit.commitIf(readEntry("u1"), copyOf(record))).isTrue();
    assertThat(entries()).isEqualTo(1);
  }

  @Test
  void commitsNothingForACopyOfARecordChangedSince() {
    Interaction record = stored("u1");
    AccessRecorder.Copy copy = copyOf(record);
    write(record, "type", "reply");
    store.update(INTERACTIONS, record);

    assertThat(commit.commitIf(readEntry("u1"), copy)).isFalse();
    assertThat(entries()).isZero();
  }

  @Test
  void commitsNothingForACopyOfARecordDeletedSince() {
    Interaction record = stored("u1");
    AccessRecorder.Copy copy = copyOf(record);
    store.delete(INTERACTIONS, record);

    assertThat(commit.commitIf(readEntry("u1"), copy)).isFalse();
    assertThat(entries()).isZero();
  }

  @Test
  void commitsNothingForACopyOfARecordDeletedAndInsertedAgainUnderItsIdAtItsVersion() {
    Interaction record = stored("u1");
    AccessRecorder.Copy copy = copyOf(record);
    store.delete(INTERACTIONS, record);
    Interaction again = INTERACTIONS.blankRecord();
    INTERACTIONS.schema().field("id").orElseThrow().write(again, record.getId());
    write(again, "userId", "u1");
    write(again, "sessionId", "s-2");
    write(again, "type", "message");
    write(again, "timestamp", Instant.parse("2026-12-01T11:00:00Z"));
    INTERACTIONS
        .schema()
        .field("createdAt")
        .orElseThrow()
        .write(again, record.getCreatedAt().plusSeconds(1));
    INTERACTIONS.schema().field("version").orElseThrow().write(again, record.getVersion());
    assertThat(store.insertIfAbsent(INTERACTIONS, List.of(again))).isEqualTo(1);

    assertThat(commit.commitIf(readEntry("u1"), copy)).isFalse();
    assertThat(entries()).isZero();
  }

  @Test
  void aSharedCommitChecksEveryCopyAndCommitsTheEntriesOfAllOthers() {
    Interaction unchanged = stored("u1");
    Interaction changed = stored("u2");
    AccessRecorder.Copy stale = copyOf(changed);
    write(changed, "type", "reply");
    store.update(INTERACTIONS, changed);
    AccessRecorder.Copy gone = copyOf(stored("u3"));
    store.delete(INTERACTIONS, store.findById(INTERACTIONS, gone.id()).orElseThrow());

    AuditGroupCommit.Pending plain =
        new AuditGroupCommit.Pending(readEntry("u0"), null, new CompletableFuture<>());
    AuditGroupCommit.Pending fresh =
        new AuditGroupCommit.Pending(readEntry("u1"), copyOf(unchanged), new CompletableFuture<>());
    AuditGroupCommit.Pending outdated =
        new AuditGroupCommit.Pending(readEntry("u2"), stale, new CompletableFuture<>());
    AuditGroupCommit.Pending deleted =
        new AuditGroupCommit.Pending(readEntry("u3"), gone, new CompletableFuture<>());

    Set<AuditGroupCommit.Pending> refused = writer.insert(List.of(plain, fresh, outdated, deleted));

    assertThat(refused).containsExactlyInAnyOrder(outdated, deleted);
    assertThat(
            store
                .find(
                    AccessLogs.COLLECTION,
                    new io.smlguardian.store.collection.query.RecordQuery(
                        List.of(), List.of(), 10, 0, List.of()))
                .stream()
                .map(AccessLog::getUserId)
                .sorted()
                .toList())
        .containsExactly("u0", "u1");
  }
}
