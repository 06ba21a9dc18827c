package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.NewRecords;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.interaction.Interaction;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.memory.Memory;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.testsupport.InProcessMongo;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TaggingProtection;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.validation.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit group commit's conditional entries, which the read cache relies on: an entry committed
 * on the condition that a record is still stored in a cached state is committed exactly when it is,
 * checked in the commit's own transaction. And its reads by id: the record looked up in the shared
 * transaction, with the other requests' (one query per collection), and the entries made from it
 * committed only when it is found and makes some. In process, on the MongoDB store against an
 * in-process server (the same store code as the mongodb server's; the relational stores' query is
 * exercised by the ITs on every backend).
 */
class AuditGroupCommitTest {

  private static final CollectionDescriptor<Interaction> INTERACTIONS = Interactions.COLLECTION;

  @RegisterExtension static final InProcessMongo MONGO = new InProcessMongo();

  private MongoDatabase database;
  private MongoRecordStore store;
  private AuditGroupCommit.Writer writer;
  private AuditGroupCommit commit;

  @BeforeEach
  void newStore() {
    database = MONGO.newDatabase("commit_");
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

    AuditGroupCommit.Pending plain = new AuditGroupCommit.Pending(readEntry("u0"), null);
    AuditGroupCommit.Pending fresh =
        new AuditGroupCommit.Pending(readEntry("u1"), copyOf(unchanged));
    AuditGroupCommit.Pending outdated = new AuditGroupCommit.Pending(readEntry("u2"), stale);
    AuditGroupCommit.Pending deleted = new AuditGroupCommit.Pending(readEntry("u3"), gone);

    Map<AuditGroupCommit.Pending, AuditGroupCommit.Outcome> outcomes =
        writer.insert(List.of(plain, fresh, outdated, deleted));

    assertThat(outcomes.get(plain).committed()).isTrue();
    assertThat(outcomes.get(fresh).committed()).isTrue();
    assertThat(outcomes.get(outdated).committed()).isFalse();
    assertThat(outcomes.get(deleted).committed()).isFalse();
    assertThat(entryOwners()).containsExactly("u0", "u1");
  }

  // --- reads by id made in the shared transaction ---

  /** A lookup whose entries name the owner of the record found, as the audit trail's do. */
  private static AuditGroupCommit.Lookup lookup(UUID id) {
    return new AuditGroupCommit.Lookup(
        INTERACTIONS, id, record -> readEntry(((Interaction) record).getUserId()));
  }

  @Test
  void aLookupFindsTheRecordAndCommitsTheEntriesMadeFromIt() {
    Interaction record = stored("u1");

    AuditGroupCommit.Outcome outcome = commit.lookUp(lookup(record.getId()));

    assertThat(outcome.committed()).isTrue();
    assertThat(outcome.found().getId()).isEqualTo(record.getId());
    assertThat(INTERACTIONS.schema().field("type").orElseThrow().read(outcome.found()))
        .isEqualTo("message");
    assertThat(entryOwners()).containsExactly("u1");
  }

  @Test
  void aLookupOfAnIdNotStoredFindsNothingAndCommitsNothing() {
    AuditGroupCommit.Outcome outcome = commit.lookUp(lookup(UUID.randomUUID()));

    assertThat(outcome.committed()).isFalse();
    assertThat(outcome.found()).isNull();
    assertThat(entries()).isZero();
  }

  @Test
  void aLookupThatMakesNoEntryForTheRecordFoundCommitsNothing() {
    Interaction record = stored("u1");

    AuditGroupCommit.Outcome outcome =
        commit.lookUp(new AuditGroupCommit.Lookup(INTERACTIONS, record.getId(), r -> List.of()));

    assertThat(outcome.committed()).isFalse();
    assertThat(outcome.found().getId()).isEqualTo(record.getId());
    assertThat(entries()).isZero();
  }

  @Test
  void theLookupsOfASharedCommitAreOneQueryPerCollection() {
    List<List<UUID>> queries = new ArrayList<>();
    MongoRecordStore counting =
        new MongoRecordStore(database, List.of(AccessLogs.COLLECTION, INTERACTIONS)) {
          @Override
          public <E extends StoredRecord> List<E> findByIds(
              CollectionDescriptor<E> collection, Collection<UUID> ids) {
            queries.add(List.copyOf(ids));
            return super.findByIds(collection, ids);
          }
        };
    Interaction first = stored("u1");
    Interaction second = stored("u2");
    AuditGroupCommit.Pending one = new AuditGroupCommit.Pending(lookup(first.getId()));
    AuditGroupCommit.Pending two = new AuditGroupCommit.Pending(lookup(second.getId()));
    AuditGroupCommit.Pending sameAgain = new AuditGroupCommit.Pending(lookup(first.getId()));
    AuditGroupCommit.Pending missing = new AuditGroupCommit.Pending(lookup(UUID.randomUUID()));
    AuditGroupCommit.Pending plain = new AuditGroupCommit.Pending(readEntry("u0"), null);

    Map<AuditGroupCommit.Pending, AuditGroupCommit.Outcome> outcomes =
        new AuditGroupCommit.Writer(counting).insert(List.of(one, two, sameAgain, missing, plain));

    assertThat(queries).hasSize(1);
    assertThat(queries.get(0)).hasSize(3);
    assertThat(outcomes.get(one).found().getId()).isEqualTo(first.getId());
    assertThat(outcomes.get(sameAgain).found().getId()).isEqualTo(first.getId());
    assertThat(outcomes.get(two).found().getId()).isEqualTo(second.getId());
    assertThat(outcomes.get(missing).found()).isNull();
    assertThat(outcomes.get(missing).committed()).isFalse();
    assertThat(entryOwners()).containsExactly("u0", "u1", "u1", "u2");
  }

  // --- single inserts made in the shared transaction ---

  private static Interaction newInteraction(String user) {
    Interaction record = INTERACTIONS.blankRecord();
    write(record, "userId", user);
    write(record, "sessionId", "s-1");
    write(record, "type", "message");
    write(record, "timestamp", Instant.parse("2026-12-01T10:00:00Z"));
    return record;
  }

  private static AuditGroupCommit.Insert insertOf(Interaction record) {
    return new AuditGroupCommit.Insert(
        NewRecords.withNothingToSeal(INTERACTIONS, List.of(record)),
        List.of(
            new AccessLog(
                record.getUserId(),
                "svc",
                "write",
                "interactions",
                "insert",
                Instant.now(),
                "10.0.0.1",
                true,
                null)));
  }

  @Test
  void theInsertsOfASharedCommitAreOneStatementPerCollectionWithTheirEntriesAndTheReads() {
    List<Integer> statements = new ArrayList<>();
    MongoRecordStore counting =
        new MongoRecordStore(database, List.of(AccessLogs.COLLECTION, INTERACTIONS)) {
          @Override
          public <E extends StoredRecord> void insertFinished(
              CollectionDescriptor<E> collection, List<E> records) {
            statements.add(records.size());
            super.insertFinished(collection, records);
          }
        };
    Interaction first = newInteraction("u1");
    Interaction second = newInteraction("u2");
    AuditGroupCommit.Pending one = new AuditGroupCommit.Pending(insertOf(first));
    AuditGroupCommit.Pending two = new AuditGroupCommit.Pending(insertOf(second));
    AuditGroupCommit.Pending read = new AuditGroupCommit.Pending(readEntry("u0"), null);

    Map<AuditGroupCommit.Pending, AuditGroupCommit.Outcome> outcomes =
        new AuditGroupCommit.Writer(counting).insert(List.of(one, read, two));

    assertThat(statements).as("the records, then the three entries").containsExactly(2, 3);
    assertThat(outcomes.get(one).committed()).isTrue();
    assertThat(outcomes.get(two).committed()).isTrue();
    assertThat(store.findById(INTERACTIONS, first.getId())).isPresent();
    assertThat(store.findById(INTERACTIONS, second.getId())).isPresent();
    assertThat(entryOwners()).containsExactly("u0", "u1", "u2");
  }

  @Test
  void anInsertThatFailsFailsItsOwnRequestAsItWasAndNoOther() throws Exception {
    AuditGroupCommit.Insert clash = insertOf(newInteraction("u1"));
    Interaction fresh = newInteraction("u2");
    AuditGroupCommit.Writer failsOnTheClash =
        new AuditGroupCommit.Writer(store) {
          @Override
          public Map<AuditGroupCommit.Pending, AuditGroupCommit.Outcome> insert(
              List<AuditGroupCommit.Pending> batch) {
            if (batch.stream().anyMatch(p -> p.insert() == clash)) {
              // as a transaction that a refused row rolled back
              throw new IllegalArgumentException("refused row");
            }
            return super.insert(batch);
          }
        };
    AuditGroupCommit commit = new AuditGroupCommit(failsOnTheClash);
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      // However a leader groups them, the clash fails alone, with its own failure, not as an audit
      // commit that could not be made (503), and the other requests' parts commit.
      Future<?> clashing = threads.submit(() -> commit.insert(clash));
      Future<?> others =
          threads.submit(
              () -> {
                commit.insert(insertOf(fresh));
                commit.commit(readEntry("u0"));
              });

      assertThatThrownBy(() -> clashing.get(30, TimeUnit.SECONDS))
          .hasCauseExactlyInstanceOf(IllegalArgumentException.class)
          .hasRootCauseMessage("refused row");
      others.get(30, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    assertThat(store.findById(INTERACTIONS, fresh.getId())).isPresent();
    assertThat(store.count(INTERACTIONS, List.of())).as("only the fresh one stored").isEqualTo(1);
    assertThat(entryOwners()).containsExactly("u0", "u2");
  }

  /** A writer whose first shared commit stays open until released, counting commits begun. */
  private final class HeldFirstCommit extends AuditGroupCommit.Writer {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger begun = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();

    HeldFirstCommit() {
      super(store);
    }

    @Override
    public Map<AuditGroupCommit.Pending, AuditGroupCommit.Outcome> insert(
        List<AuditGroupCommit.Pending> batch) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (begun.incrementAndGet() == 1 && !release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
        return super.insert(batch);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        running.decrementAndGet();
      }
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aSecondCommitStartsBesideTheRunningOneOnlyOnceEnoughRequestsAreQueued() throws Exception {
    HeldFirstCommit writer = new HeldFirstCommit();
    AuditGroupCommit commit = new AuditGroupCommit(writer);
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      List<Future<?>> requests = new ArrayList<>();
      requests.add(threads.submit(() -> commit.commit(readEntry("first"))));
      awaitTrue(() -> writer.begun.get() == 1); // the first commit runs, held open

      for (int i = 1; i < AuditGroupCommit.SECOND_COMMIT_AT; i++) {
        String user = "u" + i;
        requests.add(threads.submit(() -> commit.commit(readEntry(user))));
      }
      awaitTrue(() -> commit.queued() == AuditGroupCommit.SECOND_COMMIT_AT - 1);
      assertThat(writer.begun.get()).as("too few queued for a second commit").isEqualTo(1);

      requests.add(threads.submit(() -> commit.commit(readEntry("last"))));
      awaitTrue(() -> writer.begun.get() == 2); // begun while the first is still held
      assertThat(writer.mostAtOnce.get()).isEqualTo(2);

      writer.release.countDown();
      for (Future<?> request : requests) {
        request.get(30, TimeUnit.SECONDS);
      }
      assertThat(writer.begun.get()).as("the second took every request queued").isEqualTo(2);
      assertThat(entries()).isEqualTo(1 + AuditGroupCommit.SECOND_COMMIT_AT);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void sealedInsertsAreSealedInTheSharedTransactionWithOneKeyLookUpAndAfreshWhenMadeAgainAlone() {
    TaggingProtection tagging = new TaggingProtection();
    List<String> lookups = tagging.lookUps();
    AtomicInteger failures = new AtomicInteger(1);
    MongoRecordStore failsOnce =
        new MongoRecordStore(database, List.of(AccessLogs.COLLECTION, Memories.COLLECTION)) {
          @Override
          public <E extends StoredRecord> void insertFinished(
              CollectionDescriptor<E> collection, List<E> records) {
            if (failures.getAndDecrement() > 0) {
              throw new IllegalStateException("as a transaction that rolled back");
            }
            super.insertFinished(collection, records);
          }
        };
    AuditGroupCommit.Writer sealing = new AuditGroupCommit.Writer(failsOnce, tagging);
    RecordMapper mapper =
        new RecordMapper(
            Validation.buildDefaultValidatorFactory().getValidator(), FieldProtection.NONE);
    NewRecords<Memory> bob =
        mapper.validRecords(Memories.COLLECTION, List.of(Samples.record("memories", "bob")));
    NewRecords<Memory> alice =
        mapper.validRecords(Memories.COLLECTION, List.of(Samples.record("memories", "alice")));
    JsonValue clear = patterns(bob.records().get(0));
    AuditGroupCommit.Pending first = new AuditGroupCommit.Pending(memoryInsert(bob));
    AuditGroupCommit.Pending second = new AuditGroupCommit.Pending(memoryInsert(alice));

    assertThatThrownBy(() -> sealing.insert(List.of(first, second)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(lookups)
        .as("one look-up for both, in the shared transaction")
        .containsExactly("alice,bob");

    // Made again alone, as after a failed shared commit: sealed from the clear value again (a key
    // first stored by the failed transaction rolled back with it), not sealed twice.
    sealing.insert(List.of(first));
    assertThat(lookups).containsExactly("alice,bob", "bob");
    Memory stored =
        failsOnce.findById(Memories.COLLECTION, bob.records().get(0).getId()).orElseThrow();
    assertThat(patterns(stored)).isEqualTo(Json.createValue("bob:" + clear));
  }

  private static JsonValue patterns(Memory memory) {
    return (JsonValue) Memories.COLLECTION.schema().field("patterns").orElseThrow().read(memory);
  }

  private static AuditGroupCommit.Insert memoryInsert(NewRecords<Memory> records) {
    String owner = records.records().get(0).getUserId();
    return new AuditGroupCommit.Insert(
        records,
        List.of(
            new AccessLog(
                owner,
                "svc",
                "write",
                "memories",
                "insert",
                Instant.now(),
                "10.0.0.1",
                true,
                null)));
  }

  private List<String> entryOwners() {
    return store
        .find(
            AccessLogs.COLLECTION,
            new io.smlguardian.store.collection.query.RecordQuery(
                List.of(), List.of(), 10, 0, List.of()))
        .stream()
        .map(AccessLog::getUserId)
        .sorted()
        .toList();
  }
}
