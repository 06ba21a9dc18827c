package io.smlguardian.store.backend;

import static io.smlguardian.store.testsupport.GeneratedRecords.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.collection.AlreadyStoredException;
import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.FieldType;
import io.smlguardian.store.collection.RecordCache;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.RecordOwner;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.VersionConflictException;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.QueryLimits;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.emotionalstate.EmotionalStates;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.privacy.Erasures;
import io.smlguardian.store.privacy.LegalHoldService;
import io.smlguardian.store.resilience.DatabaseFailures;
import io.smlguardian.store.testsupport.GeneratedRecords;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.validation.Validation;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every backend's store ({@link BackendStore}: all its roles) promises, checked the same way
 * on each backend: one subclass per backend supplies a {@link StoreFixture} (its database started
 * and migrated as the server does it) and nothing else. The collections come from the application's
 * registry and the store's own descriptors ({@link RegisteredCollections}): a new collection is
 * covered without an edit here, and its records are made from its schema ({@link
 * GeneratedRecords}), every field set, so each round trip also proves that the entity and the
 * backend's tables agree.
 *
 * <p>Each store call runs in a transaction of its client, as the service's boundary runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecordStoreContract {

  private static final QueryParser PARSER = new QueryParser(new QueryLimits(50, 500, 10_000));
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.000001Z");

  private final RecordMapper mapper =
      new RecordMapper(
          Validation.buildDefaultValidatorFactory().getValidator(), FieldProtection.NONE);

  private StoreFixture fixture;
  private StoreFixture.Client client;
  private BackendStore store;

  /** The backend under test, started and migrated; closed after the class. */
  abstract StoreFixture startFixture();

  static Stream<CollectionDescriptor<?>> registered() {
    return RegisteredCollections.registry().all().stream();
  }

  static Stream<CollectionDescriptor<?>> everyStored() {
    return RegisteredCollections.all().stream();
  }

  static Stream<CollectionDescriptor<?>> registeredOwned() {
    return registered().filter(CollectionDescriptor::owned);
  }

  @BeforeEach
  void freshStore() {
    if (fixture == null) {
      long started = System.nanoTime();
      fixture = startFixture();
      System.out.printf(
          "[store-contract] %s started and migrated in %d ms%n",
          fixture.backend().configName(), (System.nanoTime() - started) / 1_000_000);
    }
    fixture.wipe();
    client = fixture.client();
    store = client.store();
  }

  /** The backend under test, for the checks of one backend's own subclass. */
  StoreFixture fixture() {
    return fixture;
  }

  @AfterAll
  void stopFixture() {
    if (fixture != null) {
      fixture.close();
    }
  }

  // --- the store's own description ------------------------------------------------------------

  @Test
  void namesItsBackendAndAnswersAPing() {
    assertThat(store.backend()).isEqualTo(fixture.backend().configName());
    store.ping();
  }

  @Test
  void declaresWhatItsBackendCanDo() {
    Backend backend = fixture.backend();
    assertThat(store.supportsAtomicWrites()).isEqualTo(backend.relational());
    assertThat(store.resettable()).isEqualTo(backend == Backend.H2);
    assertThat(store.concurrentWriters())
        .isEqualTo(backend == Backend.SQLITE ? 1 : Integer.MAX_VALUE);
  }

  /** PostgreSQL and MongoDB measure a collection; SQLite and H2 say why they do not. */
  @ParameterizedTest
  @MethodSource("registered")
  void reportsASizeOrWhyItCannot(CollectionDescriptor<?> c) {
    tx(() -> insertInto(c, "user-1"));

    StorageSize size = store.storageSize(c);

    Backend backend = fixture.backend();
    if (backend == Backend.POSTGRESQL || backend == Backend.MONGODB) {
      assertThat(size.known()).as(c.name() + ": " + size.measure()).isTrue();
      assertThat(size.bytes()).as(c.name()).isPositive();
    } else {
      assertThat(size.known()).as(c.name()).isFalse();
      assertThat(size.measure()).as(c.name()).contains(backend.configName());
    }
  }

  // --- insert, find, update, delete -------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("everyStored")
  void readsBackEveryFieldOfWhatItInserted(CollectionDescriptor<?> c) {
    readsBackEveryField(c);
  }

  /** The API's inserts, which the JPA stores make without the persistence context. */
  @ParameterizedTest
  @MethodSource("everyStored")
  void readsBackEveryFieldOfWhatItInsertedFinished(CollectionDescriptor<?> c) {
    readsBackEveryField(c, true);
  }

  private <E extends StoredRecord> void readsBackEveryField(CollectionDescriptor<E> c) {
    readsBackEveryField(c, false);
  }

  private <E extends StoredRecord> void readsBackEveryField(
      CollectionDescriptor<E> c, boolean finished) {
    E full = GeneratedRecords.full(c, "user-1", T0);
    E minimal = GeneratedRecords.minimal(c, "user-2", T0);
    if (finished) {
      tx(() -> store.insertFinished(c, List.of(full, minimal)));
    } else {
      tx(() -> store.insert(c, List.of(full, minimal)));
    }

    for (E record : List.of(full, minimal)) {
      assertThat(record.getId()).as(c.name()).isNotNull();
      assertThat(record.getVersion()).as(c.name()).isEqualTo(1);
      assertThat(record.getCreatedAt().getNano() % 1_000).as(c.name()).isZero();
      E found = tx(() -> store.findById(c, record.getId())).orElseThrow();
      assertThat(fields(c, found)).as(c.name()).isEqualTo(fields(c, record));
    }
    assertThat(tx(() -> store.findById(c, UUID.randomUUID()))).as(c.name()).isEmpty();
    assertThat(found(c, PARSER.query(c, params()))).as(c.name() + ", queried").hasSize(2);
  }

  /**
   * A time of the range's first years (before 1582, where a JDBC timestamp is on the Julian
   * calendar) and of its last reads back as it was inserted, whichever way it was: through the
   * persistence context, without it (the API's inserts), or as new records (the ingest's flush),
   * and whichever way it is read: by id, or by ids (the audit trail's shared commit).
   */
  @Test
  void theRangesFirstAndLastInstantsReadBackAsInserted() {
    CollectionDescriptor<?> c = EmotionalStates.COLLECTION;
    for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
      for (String way : List.of("insert", "insertFinished", "insertNew")) {
        readsBackTime(c, Instant.parse(time), way);
      }
    }
  }

  private <E extends StoredRecord> void readsBackTime(
      CollectionDescriptor<E> c, Instant time, String way) {
    E record =
        way.equals("insertNew")
            ? GeneratedRecords.stored(c, "user-1", T0, 1)
            : GeneratedRecords.full(c, "user-1", T0);
    GeneratedRecords.set(c, record, "timestamp", time);
    switch (way) {
      case "insert" -> tx(() -> store.insert(c, List.of(record)));
      case "insertFinished" -> tx(() -> store.insertFinished(c, List.of(record)));
      default -> tx(() -> store.insertNew(c, List.of(record)));
    }
    E found = tx(() -> store.findById(c, record.getId())).orElseThrow();
    assertThat(c.schema().field("timestamp").orElseThrow().read(found))
        .as(way + " " + time + ", found by id")
        .isEqualTo(time);
    List<E> foundByIds = tx(() -> store.findByIds(c, List.of(record.getId())));
    assertThat(foundByIds).as(way + " " + time + ", found by ids").hasSize(1);
    assertThat(c.schema().field("timestamp").orElseThrow().read(foundByIds.get(0)))
        .as(way + " " + time + ", found by ids")
        .isEqualTo(time);
    List<E> queried = found(c, PARSER.query(c, params("userId=eq.user-1", "timestamp=eq." + time)));
    assertThat(queried).as(way + " " + time + ", queried").hasSize(1);
    assertThat(c.schema().field("timestamp").orElseThrow().read(queried.get(0)))
        .as(way + " " + time + ", queried")
        .isEqualTo(time);
    tx(() -> store.deleteMatching(c, List.of()));
  }

  @ParameterizedTest
  @MethodSource("everyStored")
  void findsTheStoredOnesOfSeveralIdsInOneCall(CollectionDescriptor<?> c) {
    findsByIds(c);
  }

  private <E extends StoredRecord> void findsByIds(CollectionDescriptor<E> c) {
    E full = GeneratedRecords.full(c, "user-1", T0);
    E minimal = GeneratedRecords.minimal(c, "user-2", T0);
    E other = GeneratedRecords.minimal(c, "user-3", T0);
    // The first instant of the range, which plain JDBC reads on another calendar than EclipseLink
    // writes it: found by ids as by id, what was written.
    E ancient = GeneratedRecords.full(c, "user-4", Instant.parse("0001-01-01T00:00:00Z"));
    tx(() -> store.insert(c, List.of(full, minimal, other, ancient)));

    List<E> found =
        tx(
            () ->
                store.findByIds(
                    c, List.of(minimal.getId(), UUID.randomUUID(), full.getId(), ancient.getId())));

    assertThat(found).as(c.name()).hasSize(3);
    for (E record : List.of(full, minimal, ancient)) {
      E read =
          found.stream().filter(f -> f.getId().equals(record.getId())).findFirst().orElseThrow();
      assertThat(fields(c, read)).as(c.name()).isEqualTo(fields(c, record));
    }
    assertThat(tx(() -> store.findByIds(c, List.of()))).as(c.name()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("everyStored")
  void readsTheStampsOfTheStoredOnesOfSeveralIds(CollectionDescriptor<?> c) {
    readsStamps(c);
  }

  private <E extends StoredRecord> void readsStamps(CollectionDescriptor<E> c) {
    E record = GeneratedRecords.minimal(c, "user-1", T0);
    tx(() -> store.insert(c, List.of(record)));
    UUID missing = UUID.randomUUID();

    Map<UUID, RecordCache.Stamp> stamps =
        tx(() -> store.stamps(c, List.of(record.getId(), missing)));

    assertThat(stamps).as(c.name()).containsOnlyKeys(record.getId());
    assertThat(stamps.get(record.getId()))
        .as(c.name())
        .isEqualTo(RecordCache.Stamp.of(tx(() -> store.findById(c, record.getId())).orElseThrow()));
    assertThat(stamps.get(record.getId()).version()).as(c.name()).isEqualTo(1);
    assertThat(tx(() -> store.stamps(c, List.of()))).as(c.name()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("registered")
  void findsARecordForUpdate(CollectionDescriptor<?> c) {
    findsForUpdate(c);
  }

  private <E extends StoredRecord> void findsForUpdate(CollectionDescriptor<E> c) {
    E record = insert(c, GeneratedRecords.full(c, "user-1", T0));

    Optional<E> found = tx(() -> store.findForUpdate(c, record.getId()));

    assertThat(found.map(r -> fields(c, r))).as(c.name()).contains(fields(c, record));
    assertThat(tx(() -> store.findForUpdate(c, UUID.randomUUID()))).as(c.name()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("registered")
  void anUpdateAdvancesTheVersionAndPersists(CollectionDescriptor<?> c) {
    updateAdvancesTheVersion(c);
  }

  private <E extends StoredRecord> void updateAdvancesTheVersion(CollectionDescriptor<E> c) {
    E record = insert(c, GeneratedRecords.full(c, "user-1", T0));
    updatedOnce(c, record, id -> store.findById(c, id));
  }

  /**
   * Finds the record in a transaction of its own, changes a field and updates it; checks that the
   * update advanced the version and stored what it was given, and returns it.
   */
  private <E extends StoredRecord> E updatedOnce(
      CollectionDescriptor<E> c, E record, java.util.function.Function<UUID, Optional<E>> finder) {
    FieldDefinition mutable = mutableField(c);
    E updated =
        tx(
            () -> {
              E found = finder.apply(record.getId()).orElseThrow();
              mutable.write(found, GeneratedRecords.another(mutable, mutable.read(found)));
              store.update(c, found);
              return found;
            });
    assertThat(updated.getVersion()).as(c.name()).isEqualTo(2);
    E stored = tx(() -> store.findById(c, record.getId())).orElseThrow();
    assertThat(fields(c, stored)).as(c.name()).isEqualTo(fields(c, updated));
    assertThat(stored.getCreatedAt()).as(c.name()).isEqualTo(record.getCreatedAt());
    return updated;
  }

  /**
   * Two callers read the same version; the one that writes second loses: its update changes nothing
   * and is a conflict, whichever backend. (Within one transaction on the relational backends, as
   * the service reads and writes.)
   */
  @ParameterizedTest
  @MethodSource("registered")
  void aStaleUpdateIsAConflictAndChangesNothing(CollectionDescriptor<?> c) {
    staleUpdateConflicts(c);
  }

  private <E extends StoredRecord> void staleUpdateConflicts(CollectionDescriptor<E> c) {
    E record = insert(c, GeneratedRecords.full(c, "user-1", T0));
    FieldDefinition mutable = mutableField(c);
    StoreFixture.Client other = fixture.client();

    tx(
        () -> {
          E stale = readThenLetAnotherUpdate(c, record, mutable, other);
          mutable.write(stale, GeneratedRecords.another(mutable, mutable.read(stale)));
          assertThatThrownBy(() -> store.update(c, stale))
              .as(c.name())
              .isInstanceOf(VersionConflictException.class)
              .hasMessageContaining(record.getId().toString());
        });

    E stored = tx(() -> store.findById(c, record.getId())).orElseThrow();
    assertThat(stored.getVersion()).as(c.name()).isEqualTo(2);
    assertThat(mutable.read(stored)).as(c.name()).isNotEqualTo(mutable.read(record));
  }

  /** Reads the record in this transaction, then another client updates it and commits. */
  private <E extends StoredRecord> E readThenLetAnotherUpdate(
      CollectionDescriptor<E> c, E record, FieldDefinition mutable, StoreFixture.Client other) {
    E stale = store.findById(c, record.getId()).orElseThrow();
    other.inTransaction(
        () -> {
          E first = other.store().findById(c, record.getId()).orElseThrow();
          mutable.write(first, GeneratedRecords.another(mutable, mutable.read(first)));
          other.store().update(c, first);
        });
    return stale;
  }

  /**
   * The collections whose records the API changes and deletes by id: those without an owner table.
   */
  static Stream<CollectionDescriptor<?>> changedById() {
    return registered().filter(c -> c.ownerTable().isEmpty());
  }

  /**
   * A record found to change (the API's updates and deletes by id) reads as one found by id; its
   * update writes it whole at the version it was read at, leaving the fields it did not change as
   * they were, and advances the version; an update or a delete of a version no longer stored is a
   * conflict and changes nothing.
   */
  @ParameterizedTest
  @MethodSource("changedById")
  void changesARecordFoundToChangeAtItsVersionOnly(CollectionDescriptor<?> c) {
    changesAtItsVersion(c, null);
  }

  /**
   * The range's first and last instants (before 1582 a JDBC timestamp is on the Julian calendar)
   * read by findToChange as by findById, and stay as they were through an update that does not
   * change them.
   */
  @Test
  void theRangesFirstAndLastInstantsSurviveAnUpdate() {
    CollectionDescriptor<?> c = EmotionalStates.COLLECTION;
    for (String time : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z")) {
      changesAtItsVersion(c, Instant.parse(time));
    }
  }

  /**
   * @param timestamp the record's timestamp field, or null to keep the generated record's
   */
  private <E extends StoredRecord> void changesAtItsVersion(
      CollectionDescriptor<E> c, Instant timestamp) {
    E given = GeneratedRecords.full(c, "user-1", T0);
    if (timestamp != null) {
      GeneratedRecords.set(c, given, "timestamp", timestamp);
    }
    E record = insert(c, given);
    FieldDefinition mutable = mutableField(c);
    String what = c.name() + " " + fields(c, record);
    E stale = tx(() -> store.findToChange(c, record.getId())).orElseThrow();
    assertThat(fields(c, stale)).as(what).isEqualTo(fields(c, record));

    E updated = updatedOnce(c, record, id -> store.findToChange(c, id));

    mutable.write(stale, GeneratedRecords.another(mutable, mutable.read(updated)));
    assertThatThrownBy(() -> tx(() -> store.update(c, stale)))
        .as(what + ", a stale update")
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(() -> tx(() -> store.delete(c, stale)))
        .as(what + ", a stale delete")
        .isInstanceOf(VersionConflictException.class);
    assertThat(fields(c, tx(() -> store.findById(c, record.getId())).orElseThrow()))
        .as(what + ", after the stale writes")
        .isEqualTo(fields(c, updated));

    tx(() -> store.delete(c, store.findToChange(c, record.getId()).orElseThrow()));
    assertThat(tx(() -> store.findById(c, record.getId()))).as(what).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("registered")
  void deletesOnlyTheVersionItRead(CollectionDescriptor<?> c) {
    deleteIsGuarded(c);
  }

  private <E extends StoredRecord> void deleteIsGuarded(CollectionDescriptor<E> c) {
    E record = insert(c, GeneratedRecords.full(c, "user-1", T0));
    FieldDefinition mutable = mutableField(c);
    StoreFixture.Client other = fixture.client();

    tx(
        () -> {
          E stale = readThenLetAnotherUpdate(c, record, mutable, other);
          assertThatThrownBy(() -> store.delete(c, stale))
              .as(c.name())
              .isInstanceOf(VersionConflictException.class);
        });
    assertThat(tx(() -> store.findById(c, record.getId()))).as(c.name()).isPresent();

    tx(
        () -> {
          E current = store.findById(c, record.getId()).orElseThrow();
          other.inTransaction(
              () -> other.store().delete(c, other.store().findById(c, current.getId()).get()));
          assertThatThrownBy(() -> store.delete(c, current))
              .as(c.name() + ", deleted meanwhile")
              .isInstanceOf(VersionConflictException.class);
        });
    assertThat(tx(() -> store.findById(c, record.getId()))).as(c.name()).isEmpty();
  }

  /**
   * What the write-behind ingest replays: each id is stored once, however often it comes, exactly
   * as given (version included), and a stored record is never overwritten.
   */
  @ParameterizedTest
  @MethodSource("everyStored")
  void insertIfAbsentStoresEachIdOnce(CollectionDescriptor<?> c) {
    insertsIfAbsent(c);
  }

  private <E extends StoredRecord> void insertsIfAbsent(CollectionDescriptor<E> c) {
    E stored = insert(c, GeneratedRecords.full(c, "user-1", T0));
    E replayed = GeneratedRecords.stored(c, "user-2", T0, 1);
    GeneratedRecords.set(c, replayed, "id", stored.getId());
    E fresh = GeneratedRecords.stored(c, "user-3", T0, 1);

    assertThat(tx(() -> store.insertIfAbsent(c, List.of(replayed, fresh)))).as(c.name()).isOne();
    assertThat(tx(() -> store.insertIfAbsent(c, List.of(replayed, fresh)))).as(c.name()).isZero();

    assertThat(tx(() -> store.count(c, List.of()))).as(c.name()).isEqualTo(2);
    assertStoredAsGiven(c, List.of(stored, fresh));
  }

  /** Each record is stored exactly as given, every field as it was. */
  private <E extends StoredRecord> void assertStoredAsGiven(
      CollectionDescriptor<E> c, List<E> records) {
    for (E record : records) {
      assertThat(fields(c, tx(() -> store.findById(c, record.getId())).orElseThrow()))
          .as(c.name())
          .isEqualTo(fields(c, record));
    }
  }

  /**
   * What a flush writes first: records expected to be new, stored as given. One stored already
   * among them is skipped where the backend's insert-if-absent is as cheap as a plain insert; on
   * PostgreSQL it refuses the whole insert as a refused row, which leaves nothing of it stored, and
   * the flush writes them again with insertIfAbsent. Either way each id is stored once.
   */
  @ParameterizedTest
  @MethodSource("everyStored")
  void insertNewStoresNewRecordsAndNeverAnIdTwice(CollectionDescriptor<?> c) {
    insertsNew(c);
  }

  private <E extends StoredRecord> void insertsNew(CollectionDescriptor<E> c) {
    E first = GeneratedRecords.stored(c, "user-1", T0, 1);
    E fresh = GeneratedRecords.stored(c, "user-2", T0, 1);
    assertThat(tx(() -> store.insertNew(c, List.of(first)))).as(c.name()).isOne();

    if (store.backend().equals("postgresql")) {
      assertThatThrownBy(() -> tx(() -> store.insertNew(c, List.of(fresh, first))))
          .as(c.name())
          .isInstanceOf(AlreadyStoredException.class)
          .satisfies(e -> assertThat(DatabaseFailures.isRowRefusal(e)).isTrue());
      assertThat(tx(() -> store.count(c, List.of()))).as(c.name()).isOne();
      assertThat(tx(() -> store.insertIfAbsent(c, List.of(fresh, first)))).as(c.name()).isOne();
    } else {
      assertThat(tx(() -> store.insertNew(c, List.of(fresh, first)))).as(c.name()).isOne();
    }

    assertThat(tx(() -> store.count(c, List.of()))).as(c.name()).isEqualTo(2);
    assertStoredAsGiven(c, List.of(first, fresh));
  }

  /** Where writes are atomic, a transaction that fails keeps none of its writes; elsewhere not. */
  @Test
  void aFailedTransactionKeepsItsWritesOnlyWhereWritesAreNotAtomic() {
    CollectionDescriptor<?> c = registered().findFirst().orElseThrow();

    assertThatThrownBy(
            () ->
                tx(
                    () -> {
                      insertInto(c, "user-1");
                      insertInto(c, "user-2");
                      throw new IllegalStateException("the request fails after two writes");
                    }))
        .hasMessageContaining("two writes");

    assertThat(tx(() -> store.count(c, List.of()))).isEqualTo(store.supportsAtomicWrites() ? 0 : 2);
  }

  // --- find and count: filters, order, pages
  // ------------------------------------------------------

  @ParameterizedTest
  @MethodSource("registered")
  void countsAndFindsWhatTheFiltersMatch(CollectionDescriptor<?> c) {
    countsWithFilters(c);
  }

  private <E extends StoredRecord> void countsWithFilters(CollectionDescriptor<E> c) {
    List<E> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(GeneratedRecords.full(c, i < 3 ? "user-a" : "user-b", T0.plusSeconds(60L * i)));
    }
    tx(() -> store.insert(c, records));
    String fromFourth = c.timeField() + "=gte." + T0.plusSeconds(180);
    String idIn = "id=in.(" + records.get(0).getId() + "," + UUID.randomUUID() + ")";

    assertThat(count(c)).as(c.name()).isEqualTo(5);
    assertThat(count(c, fromFourth)).as(c.name()).isEqualTo(2);
    assertThat(ids(c, fromFourth))
        .as(c.name())
        .containsExactly(records.get(4).getId(), records.get(3).getId());
    assertThat(count(c, idIn)).as(c.name()).isOne();
    assertThat(ids(c, idIn)).as(c.name()).containsExactly(records.get(0).getId());
    if (c.owned()) {
      assertThat(count(c, "userId=eq.user-a")).as(c.name()).isEqualTo(3);
      assertThat(count(c, "userId=eq.user-b", fromFourth)).as(c.name()).isEqualTo(2);
      assertThat(count(c, "userId=eq.user-a", fromFourth)).as(c.name()).isZero();
    }
  }

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
  void everyOperatorMeansWhatItMeansInSql() {
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
        (filter, expected) -> {
          List<UUID> matching = states.stream().filter(expected).map(State::id).toList();
          assertThat(ids(EmotionalStates.COLLECTION, filter))
              .as(filter)
              .containsExactlyInAnyOrderElementsOf(matching);
          assertThat(count(EmotionalStates.COLLECTION, filter))
              .as(filter)
              .isEqualTo(matching.size());
        });

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

  /** The one documented difference between backends: where nulls sort (docs/backends.md). */
  @Test
  void nullsSortFirstExceptOnPostgresql() {
    List<State> states = insertStates();
    List<UUID> nulls = List.of(states.get(1).id(), states.get(3).id());

    List<UUID> ascending = ids(EmotionalStates.COLLECTION, "order=stability");

    if (fixture.backend() == Backend.POSTGRESQL) {
      assertThat(ascending.subList(6, 8)).containsExactlyInAnyOrderElementsOf(nulls);
    } else {
      assertThat(ascending.subList(0, 2)).containsExactlyInAnyOrderElementsOf(nulls);
    }
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

  /** A keyset cursor: the page after a record, in the default order, ties at one instant by id. */
  @Test
  void pagesContinueAfterAKeyInTheDefaultOrder() {
    List<State> states = insertStates();
    List<UUID> all = ids(EmotionalStates.COLLECTION);

    List<UUID> walked = new ArrayList<>();
    TimeKey after = null;
    do {
      RecordQuery query = PARSER.query(EmotionalStates.COLLECTION, params("limit=3"));
      RecordQuery page = after == null ? query : query.resolved(after);
      List<StoredRecord> records = List.copyOf(found(EmotionalStates.COLLECTION, page));
      records.forEach(r -> walked.add(r.getId()));
      after =
          records.isEmpty()
              ? null
              : states.stream()
                  .filter(s -> s.id().equals(records.get(records.size() - 1).getId()))
                  .map(s -> new TimeKey(s.time(), s.id()))
                  .findFirst()
                  .orElseThrow();
    } while (after != null);

    assertThat(walked).isEqualTo(all);
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
    assertThat(ids(Memories.COLLECTION, "order=strength.desc", "limit=2"))
        .containsExactlyElementsOf(
            memories.subList(1, 3).stream()
                .map(StoredRecord::getId)
                .sorted(Comparator.comparing(UUID::toString))
                .toList());
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

  /** Retention's condition: the records of users under no legal hold, answered by the store. */
  @ParameterizedTest
  @MethodSource("registeredOwned")
  void leavesOutTheRecordsOfHeldUsers(CollectionDescriptor<?> c) {
    tx(
        () -> {
          insertInto(c, "held");
          insertInto(c, "free");
          insertInto(c, "free");
        });
    tx(
        () ->
            store.insert(
                LegalHoldService.HOLDS,
                List.of(GeneratedRecords.full(LegalHoldService.HOLDS, "held", T0))));
    List<Filter> notHeld = List.of(LegalHoldService.notHeld());

    assertThat(tx(() -> store.count(c, notHeld))).as(c.name()).isEqualTo(2);
    assertThat(tx(() -> store.deleteMatching(c, notHeld))).as(c.name()).isEqualTo(2);
    assertThat(count(c, "userId=eq.held")).as(c.name()).isOne();
    assertThat(count(c)).as(c.name()).isOne();
  }

  static Stream<CollectionDescriptor<?>> withOwnerTable() {
    return registered().filter(c -> c.ownerTable().isPresent());
  }

  /**
   * A record about several users (an audit entry of an ingest request) is found by each of them and
   * by no one else, the reserved user it is stored under included: by equality, among others,
   * refused by a negation, in a user's snapshot, and by the legal holds of any of them. Written
   * again, it is found once; deleted, it leaves no owner behind to find a record of its id again.
   */
  @ParameterizedTest
  @MethodSource("withOwnerTable")
  void findsARecordAboutSeveralUsersByEachOfThem(CollectionDescriptor<?> c) throws IOException {
    aboutSeveralUsers(c);
  }

  /**
   * Records written without the persistence context, each way the service writes them (an access's
   * entries, the shared commit's, the ingest's flush), have their owner rows with them: each record
   * is found by each of its owners, whether it names one or several, and a record naming more
   * owners than one statement carries (600: PostgreSQL writes a record and its owners in one
   * statement up to 500 owner rows) too.
   */
  @ParameterizedTest
  @MethodSource("withOwnerTable")
  void recordsWrittenEachWayAreFoundByEachOfTheirOwners(CollectionDescriptor<?> c) {
    writtenEachWay(c);
  }

  private <E extends StoredRecord> void writtenEachWay(CollectionDescriptor<E> c) {
    for (String way : List.of("insertFinished", "insertIfAbsent", "insertNew")) {
      E one = GeneratedRecords.stored(c, way + "-one", T0, 1);
      E two = GeneratedRecords.stored(c, "several", T0, 1);
      GeneratedRecords.set(
          c,
          two,
          RecordOwner.NAMED_OWNERS_FIELD,
          Json.createArrayBuilder().add(way + "-b").add(way + "-c").build());
      E many = GeneratedRecords.stored(c, "several", T0, 1);
      var owners = Json.createArrayBuilder();
      for (int i = 0; i < 600; i++) {
        owners.add(String.format(Locale.ROOT, "%s-m%03d", way, i));
      }
      GeneratedRecords.set(c, many, RecordOwner.NAMED_OWNERS_FIELD, owners.build());
      List<E> records = List.of(one, two, many);
      long inserted =
          switch (way) {
            case "insertFinished" -> {
              tx(() -> store.insertFinished(c, records));
              yield records.size();
            }
            case "insertIfAbsent" -> tx(() -> store.insertIfAbsent(c, records));
            default -> tx(() -> store.insertNew(c, records));
          };
      assertThat(inserted).as(way).isEqualTo(3);
      assertThat(ids(c, "userId=eq." + way + "-one")).as(way).containsExactly(one.getId());
      assertThat(ids(c, "userId=eq." + way + "-c")).as(way).containsExactly(two.getId());
      assertThat(ids(c, "userId=eq." + way + "-m000")).as(way).containsExactly(many.getId());
      assertThat(ids(c, "userId=eq." + way + "-m599")).as(way).containsExactly(many.getId());
      assertThat(count(c, "userId=eq.several")).as(way).isZero();
    }
    E again = GeneratedRecords.stored(c, "again", T0, 1);
    assertThat(tx(() -> store.insertIfAbsent(c, List.of(again)))).isOne();
    assertThat(tx(() -> store.insertIfAbsent(c, List.of(again)))).isZero();
    assertThat(ids(c, "userId=eq.again")).containsExactly(again.getId());
  }

  private <E extends StoredRecord> void aboutSeveralUsers(CollectionDescriptor<E> c)
      throws IOException {
    E single = insert(c, GeneratedRecords.full(c, "user-a", T0));
    E several = GeneratedRecords.stored(c, "several", T0, 1);
    GeneratedRecords.set(
        c,
        several,
        RecordOwner.NAMED_OWNERS_FIELD,
        Json.createArrayBuilder().add("user-b").add("user-c").build());
    tx(() -> store.insertIfAbsent(c, List.of(several)));
    tx(() -> store.insertIfAbsent(c, List.of(several)));

    assertThat(ids(c, "userId=eq.user-b")).as(c.name()).containsExactly(several.getId());
    assertThat(ids(c, "userId=eq.user-c")).as(c.name()).containsExactly(several.getId());
    assertThat(ids(c, "userId=eq.user-a")).as(c.name()).containsExactly(single.getId());
    assertThat(count(c, "userId=eq.several")).as(c.name()).isZero();
    for (FieldDefinition field : c.schema().fields()) { // with a filter on a value of each kind
      Object value = field.read(several);
      if (c.isQueryField(field.name()) && value != null && !field.name().equals("userId")) {
        assertThat(count(c, "userId=eq.user-b", field.name() + "=eq." + value))
            .as(c.name() + " by user and " + field.name())
            .isOne();
      }
    }
    assertThat(count(c, "userId=in.(user-a,user-c)")).as(c.name()).isEqualTo(2);
    assertThat(ids(c, "userId=neq.user-b")).as(c.name()).containsExactly(single.getId());
    assertThat(ids(c, "userId=not.in.(user-a,user-x)"))
        .as(c.name())
        .containsExactly(several.getId());
    List<UUID> ofC = new ArrayList<>();
    try (RecordSnapshot snapshot = store.openSnapshot()) {
      snapshot.readOwnedBy(c, "user-c", record -> ofC.add(record.getId()));
    }
    assertThat(ofC).as(c.name()).containsExactly(several.getId());

    tx(
        () ->
            store.insert(
                LegalHoldService.HOLDS,
                List.of(GeneratedRecords.full(LegalHoldService.HOLDS, "user-c", T0))));
    List<Filter> notHeld = List.of(LegalHoldService.notHeld());
    assertThat(tx(() -> store.count(c, notHeld))).as(c.name()).isOne();
    assertThat(tx(() -> store.deleteMatching(c, notHeld))).as(c.name()).isOne();
    assertThat(ids(c)).as(c.name()).containsExactly(several.getId());

    assertThat(tx(() -> store.deleteMatching(c, List.of()))).as(c.name()).isOne();
    E again = GeneratedRecords.stored(c, "user-d", T0, 1);
    GeneratedRecords.set(c, again, "id", several.getId());
    tx(() -> store.insertIfAbsent(c, List.of(again)));
    assertThat(count(c, "userId=eq.user-b")).as(c.name()).isZero();
    assertThat(ids(c, "userId=eq.user-d")).as(c.name()).containsExactly(several.getId());
  }

  // --- bulk work: time keys, ranges
  // ---------------------------------------------------------------

  /**
   * What the retention job reads and deletes: keys some places after the last one in (time, id)
   * order, ties cut by id, and the ranges between two keys counted and deleted in one call each.
   */
  @ParameterizedTest
  @MethodSource("registered")
  void walksItsRecordsInTimeThenIdOrderAndDeletesByRange(CollectionDescriptor<?> c) {
    walksInTimeOrder(c);
  }

  private <E extends StoredRecord> void walksInTimeOrder(CollectionDescriptor<E> c) {
    List<E> records = new ArrayList<>();
    long[] offsets = {-5, -3, -3, -3, -1, 2, 4};
    for (long offset : offsets) {
      records.add(GeneratedRecords.full(c, "user-a", T0.plusSeconds(offset)));
    }
    tx(() -> store.insert(c, records));
    List<Filter> expired = filters(c, c.timeField() + "=lt." + T0);
    List<TimeKey> expected =
        records.subList(0, 5).stream()
            .map(r -> new TimeKey(T0.plusSeconds(offsets[records.indexOf(r)]), r.getId()))
            .sorted(Comparator.comparing(TimeKey::time).thenComparing(k -> k.id().toString()))
            .toList();

    List<TimeKey> walked = new ArrayList<>();
    TimeKey after = null;
    for (var key = timeKeyAt(c, expired, null, 1); key.isPresent(); ) {
      walked.add(key.get());
      after = key.get();
      key = timeKeyAt(c, expired, after, 1);
    }

    assertThat(walked).as(c.name()).isEqualTo(expected);
    // Two places on: across the tie at -3 s, and past the end.
    assertThat(timeKeyAt(c, expired, expected.get(1), 2)).as(c.name()).contains(expected.get(3));
    assertThat(timeKeyAt(c, expired, expected.get(3), 2)).as(c.name()).isEmpty();
    assertThat(timeKeyAt(c, List.of(), null, 7)).as(c.name()).isPresent();
    assertThat(timeKeyAt(c, List.of(), null, 8)).as(c.name()).isEmpty();

    // Ranges of that order, as the purge counts and deletes them: the tie at -3 s is cut by id.
    TimeKeyRange second = new TimeKeyRange(expected.get(1), expected.get(3));
    assertThat(tx(() -> store.count(c, expired, new TimeKeyRange(null, expected.get(1)))))
        .as(c.name())
        .isEqualTo(2);
    assertThat(tx(() -> store.count(c, expired, second))).as(c.name()).isEqualTo(2);
    assertThat(tx(() -> store.deleteMatching(c, expired, second))).as(c.name()).isEqualTo(2);
    assertThat(tx(() -> store.findById(c, expected.get(2).id()))).as(c.name()).isEmpty();
    assertThat(tx(() -> store.findById(c, expected.get(1).id()))).as(c.name()).isPresent();
    assertThat(tx(() -> store.deleteMatching(c, expired, TimeKeyRange.after(expected.get(3)))))
        .as(c.name())
        .isOne();
    assertThat(tx(() -> store.count(c, expired))).as(c.name()).isEqualTo(2);
    assertThat(count(c)).as(c.name()).isEqualTo(4);
    assertThat(tx(() -> store.deleteMatching(c, List.of()))).as(c.name()).isEqualTo(4);
    assertThat(count(c)).as(c.name()).isZero();
  }

  @Test
  void aTimeKeyIsAtLeastOnePlaceOn() {
    CollectionDescriptor<?> c = registered().findFirst().orElseThrow();

    assertThatThrownBy(() -> tx(() -> store.timeKeyAt(c, List.of(), null, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- snapshot, restore, staging
  // -----------------------------------------------------------------

  /** A backup reads every record as stored, an export every record of one user. */
  @ParameterizedTest
  @MethodSource("everyStored")
  void aSnapshotReadsEveryRecordAsStored(CollectionDescriptor<?> c) throws IOException {
    snapshotReadsAsStored(c);
  }

  private <E extends StoredRecord> void snapshotReadsAsStored(CollectionDescriptor<E> c)
      throws IOException {
    E first = insert(c, GeneratedRecords.full(c, "user-a", T0));
    E second = insert(c, GeneratedRecords.minimal(c, "user-b", T0));
    E third = insert(c, GeneratedRecords.full(c, "user-a", T0));

    List<Map<String, Object>> read = new ArrayList<>();
    List<UUID> owned = new ArrayList<>();
    try (RecordSnapshot snapshot = store.openSnapshot()) {
      snapshot.read(c, record -> read.add(fields(c, record)));
      if (c.owned()) {
        snapshot.readOwnedBy(c, "user-a", record -> owned.add(record.getId()));
      }
    }

    assertThat(read)
        .as(c.name())
        .containsExactlyInAnyOrder(fields(c, first), fields(c, second), fields(c, third));
    if (c.owned()) {
      assertThat(owned).as(c.name()).containsExactlyInAnyOrder(first.getId(), third.getId());
    }
  }

  /** Where the backend has transactions, every read of one snapshot sees the same state. */
  @Test
  void aSnapshotSeesOneMomentWhereWritesAreAtomic() throws IOException {
    CollectionDescriptor<?> c = registered().findFirst().orElseThrow();
    CollectionDescriptor<?> d = registered().skip(1).findFirst().orElseThrow();
    tx(() -> insertInto(c, "user-a"));
    List<UUID> before = new ArrayList<>();
    List<UUID> after = new ArrayList<>();

    try (RecordSnapshot snapshot = store.openSnapshot()) {
      snapshot.read(c, record -> before.add(record.getId()));
      tx(
          () -> {
            insertInto(c, "user-b");
            insertInto(d, "user-b");
          });
      snapshot.read(c, record -> after.add(record.getId()));
      List<UUID> other = new ArrayList<>();
      snapshot.read(d, record -> other.add(record.getId()));
      if (store.supportsAtomicWrites()) {
        assertThat(after).isEqualTo(before);
        assertThat(other).isEmpty();
      } else {
        assertThat(after).hasSize(2);
      }
    }
    assertThat(before).hasSize(1);
  }

  /** A restore puts back records exactly as read: id, creation time and version included. */
  @ParameterizedTest
  @MethodSource("everyStored")
  void restoresRecordsExactlyAsGiven(CollectionDescriptor<?> c) {
    restoresExactly(c);
  }

  private <E extends StoredRecord> void restoresExactly(CollectionDescriptor<E> c) {
    List<E> records = new ArrayList<>();
    for (int i = 0; i < 101; i++) { // more than one multi-row statement (100 rows)
      records.add(GeneratedRecords.stored(c, "user-" + (i % 3), T0.plusSeconds(i), 7));
    }

    tx(() -> store.restore(c, records));

    assertThat(count(c)).as(c.name()).isEqualTo(101);
    for (E record : List.of(records.get(0), records.get(100))) {
      E found = tx(() -> store.findById(c, record.getId())).orElseThrow();
      assertThat(fields(c, found)).as(c.name()).isEqualTo(fields(c, record));
      assertThat(found.getVersion()).as(c.name()).isEqualTo(7);
    }
  }

  /**
   * A restore's staging: staged records stay out of the collection until switched in; a switch
   * replaces the collection, or its records before a time, or adds only the ids it lacks.
   */
  @ParameterizedTest
  @MethodSource("everyStored")
  void stagedRecordsReachTheCollectionOnlyWhenSwitchedIn(CollectionDescriptor<?> c) {
    switchesStaged(c);
  }

  private <E extends StoredRecord> void switchesStaged(CollectionDescriptor<E> c) {
    E before = GeneratedRecords.stored(c, "u", T0, 1);
    E since = GeneratedRecords.stored(c, "u", T0.plusSeconds(10), 1);
    E staged = GeneratedRecords.stored(c, "v", T0.plusSeconds(1), 1);
    tx(() -> store.restore(c, List.of(before, since)));
    tx(() -> store.stage(c, List.of(staged, since)));
    assertThat(ids(c)).as(c.name()).containsExactlyInAnyOrder(before.getId(), since.getId());

    // merge: only the staged record whose id the collection lacks
    assertThat(tx(() -> store.switchStaged(c, false, null))).as(c.name()).isOne();
    assertThat(ids(c))
        .as(c.name())
        .containsExactlyInAnyOrder(before.getId(), since.getId(), staged.getId());
    if (c.owned()) { // found by their owners, as every record stored otherwise
      assertThat(ids(c, "userId=eq.v")).as(c.name()).containsExactly(staged.getId());
      assertThat(ids(c, "userId=eq.u"))
          .as(c.name())
          .containsExactlyInAnyOrder(before.getId(), since.getId());
    }
    if (c.ownerTable().isPresent()) { // a record about several users, found by each of them
      E several = GeneratedRecords.stored(c, "several", T0.plusSeconds(2), 1);
      GeneratedRecords.set(
          c,
          several,
          RecordOwner.NAMED_OWNERS_FIELD,
          Json.createArrayBuilder().add("x").add("y").build());
      tx(() -> store.clearStaging(c));
      tx(() -> store.stage(c, List.of(several)));
      assertThat(tx(() -> store.switchStaged(c, false, null))).as(c.name()).isOne();
      assertThat(ids(c, "userId=eq.y")).as(c.name()).containsExactly(several.getId());
      assertThat(tx(() -> store.deleteMatching(c, filters(c, "id=eq." + several.getId()))))
          .as(c.name())
          .isOne();
    }

    // replace what was there before a time, keeping what was written since
    tx(() -> store.clearStaging(c));
    E restored = GeneratedRecords.stored(c, "w", T0, 1);
    tx(() -> store.stage(c, List.of(restored)));
    assertThat(tx(() -> store.switchStaged(c, true, T0.plusSeconds(5)))).as(c.name()).isOne();
    assertThat(ids(c)).as(c.name()).containsExactlyInAnyOrder(since.getId(), restored.getId());
    if (c.owned()) {
      assertThat(ids(c, "userId=eq.u")).as(c.name()).containsExactly(since.getId());
      assertThat(ids(c, "userId=eq.w")).as(c.name()).containsExactly(restored.getId());
    }

    // replace everything
    assertThat(tx(() -> store.switchStaged(c, true, null))).as(c.name()).isOne();
    assertThat(ids(c)).as(c.name()).containsExactly(restored.getId());
    if (c.owned()) {
      assertThat(ids(c, "userId=eq.u")).as(c.name()).isEmpty();
    }
    assertThat(fields(c, tx(() -> store.findById(c, restored.getId())).orElseThrow()))
        .as(c.name())
        .isEqualTo(fields(c, restored));

    tx(() -> store.clearStaging(c));
    assertThat(tx(() -> store.switchStaged(c, false, null))).as(c.name()).isZero();
  }

  /**
   * A switch step run again on the same staging copy leaves the collection as one run did, also
   * after a run that copied only part of it: a switch that is not one transaction (MongoDB's) is
   * completed after a crash by running its steps again.
   */
  @ParameterizedTest
  @MethodSource("everyStored")
  void aSwitchStepRunAgainLeavesTheCollectionAsOneRunDid(CollectionDescriptor<?> c) {
    switchesAgain(c);
  }

  private <E extends StoredRecord> void switchesAgain(CollectionDescriptor<E> c) {
    E old = GeneratedRecords.stored(c, "u", T0, 1);
    E since = GeneratedRecords.stored(c, "u", T0.plusSeconds(10), 1);
    E first = GeneratedRecords.stored(c, "v", T0.plusSeconds(1), 1);
    E second = GeneratedRecords.stored(c, "v", T0.plusSeconds(2), 1);
    tx(() -> store.stage(c, List.of(first, second)));

    // replace everything: the first run copied one staged record, then stopped
    tx(() -> store.restore(c, List.of(old, first)));
    tx(() -> store.switchStaged(c, true, null));
    tx(() -> store.switchStaged(c, true, null));
    assertThat(ids(c)).as(c.name()).containsExactlyInAnyOrder(first.getId(), second.getId());
    assertThat(fields(c, tx(() -> store.findById(c, second.getId())).orElseThrow()))
        .as(c.name())
        .isEqualTo(fields(c, second));

    // replace what was there before a time, keeping what was written since
    tx(() -> store.restore(c, List.of(since)));
    tx(() -> store.switchStaged(c, true, T0.plusSeconds(5)));
    tx(() -> store.switchStaged(c, true, T0.plusSeconds(5)));
    assertThat(ids(c))
        .as(c.name())
        .containsExactlyInAnyOrder(first.getId(), second.getId(), since.getId());

    // merge: only the ids the collection lacks, once
    tx(() -> store.deleteMatching(c, List.of()));
    tx(() -> store.restore(c, List.of(old, first)));
    assertThat(tx(() -> store.switchStaged(c, false, null))).as(c.name()).isOne();
    assertThat(tx(() -> store.switchStaged(c, false, null))).as(c.name()).isZero();
    assertThat(ids(c))
        .as(c.name())
        .containsExactlyInAnyOrder(old.getId(), first.getId(), second.getId());

    // leaving out erased users' records again leaves nothing more out
    if (c.owned()) {
      var erasure = GeneratedRecords.stored(Erasures.ERASURES, "v", T0.plusSeconds(5), 1);
      tx(() -> store.restore(Erasures.ERASURES, List.of(erasure)));
      assertThat(tx(() -> store.dropStagedErased(c, Erasures.ERASURES))).as(c.name()).isEqualTo(2);
      assertThat(tx(() -> store.dropStagedErased(c, Erasures.ERASURES))).as(c.name()).isZero();
    }
  }

  /**
   * Where a restore's switch is not one transaction (MongoDB), the store keeps its record until it
   * is forgotten, the last one written in place of the ones before; where it is one transaction
   * (the relational stores), there is nothing to complete after a crash, and nothing is kept.
   */
  @Test
  void keepsARecordOfASwitchOnlyWhereTheSwitchIsNotOneTransaction() {
    assertThat(tx(() -> store.recordedSwitch())).isEmpty();
    tx(() -> store.recordSwitch("{\"backupId\":\"b1\",\"switched\":[]}"));
    tx(() -> store.recordSwitch("{\"backupId\":\"b1\",\"switched\":[\"erasures\"]}"));

    Optional<String> recorded = tx(() -> store.recordedSwitch());
    if (store.supportsAtomicWrites()) {
      assertThat(recorded).isEmpty();
    } else {
      assertThat(recorded.map(RecordStoreContract::json))
          .contains(json("{\"backupId\":\"b1\",\"switched\":[\"erasures\"]}"));
    }
    tx(() -> store.forgetSwitch());
    assertThat(tx(() -> store.recordedSwitch())).isEmpty();
  }

  private static JsonObject json(String text) {
    return Json.createReader(new java.io.StringReader(text)).readObject();
  }

  /** Staged records of a user erased after they were written are left out; others stay. */
  @ParameterizedTest
  @MethodSource("registeredOwned")
  void stagedRecordsOfAUserErasedAfterTheyWereWrittenAreDropped(CollectionDescriptor<?> c) {
    dropsStagedErased(c);
  }

  private <E extends StoredRecord> void dropsStagedErased(CollectionDescriptor<E> c) {
    var erasure = GeneratedRecords.stored(Erasures.ERASURES, "u", T0.plusSeconds(5), 1);
    tx(() -> store.restore(Erasures.ERASURES, List.of(erasure)));
    E erased = GeneratedRecords.stored(c, "u", T0, 1);
    E writtenAfter = GeneratedRecords.stored(c, "u", T0.plusSeconds(10), 1);
    E other = GeneratedRecords.stored(c, "v", T0, 1);
    tx(() -> store.stage(c, List.of(erased, writtenAfter, other)));

    assertThat(tx(() -> store.dropStagedErased(c, Erasures.ERASURES))).as(c.name()).isOne();
    tx(() -> store.switchStaged(c, true, null));

    assertThat(ids(c)).as(c.name()).containsExactlyInAnyOrder(writtenAfter.getId(), other.getId());
  }

  @ParameterizedTest
  @MethodSource("registered")
  void locksACollectionWithinATransaction(CollectionDescriptor<?> c) {
    tx(
        () -> {
          store.lockCollection(c, false);
          store.lockCollection(c, true);
          insertInto(c, "user-1");
        });

    assertThat(count(c)).as(c.name()).isOne();
  }

  // --- a user's lock
  // ------------------------------------------------------------------------------

  /**
   * Where the store takes users' locks (PostgreSQL's, or the JVM's on H2 and MongoDB), a second
   * transaction asking for a user's lock waits until the first that holds it ends; where it takes
   * none (SQLite: one writer at a time), it goes on at once.
   */
  @Test
  void aUsersLockKeepsAnotherTransactionWaitingUntilTheHolderEnds() throws Exception {
    StoreFixture.Client other = fixture.client();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () ->
                client.inTransaction(
                    () -> {
                      store.lockUser("user-1");
                      held.countDown();
                      await(release);
                      events.add("holder ends");
                    }),
            threads);
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    Thread[] waiterThread = new Thread[1];
    CompletableFuture<Void> waiter =
        CompletableFuture.runAsync(
            () -> {
              waiterThread[0] = Thread.currentThread();
              other.inTransaction(() -> other.store().lockUser("user-1"));
              events.add("waiter has the lock");
            },
            threads);

    boolean locks = fixture.backend() != Backend.SQLITE;
    if (locks) {
      while (waiterThread[0] == null || !fixture.someoneAwaitsAUserLock(waiterThread[0])) {
        assertThat(waiter).isNotDone();
        Thread.sleep(10);
      }
    } else {
      waiter.get(30, TimeUnit.SECONDS);
    }
    release.countDown();
    holder.get(30, TimeUnit.SECONDS);
    waiter.get(30, TimeUnit.SECONDS);
    threads.shutdown();

    assertThat(events)
        .containsExactlyElementsOf(
            locks
                ? List.of("holder ends", "waiter has the lock")
                : List.of("waiter has the lock", "holder ends"));
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private <T> T tx(java.util.function.Supplier<T> work) {
    return client.inTransaction(work);
  }

  private void tx(Runnable work) {
    client.inTransaction(work);
  }

  private <E extends StoredRecord> E insert(CollectionDescriptor<E> c, E record) {
    tx(() -> store.insert(c, List.of(record)));
    return record;
  }

  private <E extends StoredRecord> E insert(CollectionDescriptor<E> c, JsonObject body) {
    return insert(c, mapper.newRecord(c, body));
  }

  private <E extends StoredRecord> void insertInto(CollectionDescriptor<E> c, String userId) {
    store.insert(c, List.of(GeneratedRecords.full(c, userId, T0)));
  }

  /** A field an update may change: every collection has one (the API's PATCH changes it). */
  private static FieldDefinition mutableField(CollectionDescriptor<?> c) {
    return c.schema().fields().stream()
        .filter(FieldDefinition::writableOnUpdate)
        .filter(f -> f.type() != FieldType.TIME) // sessions: an end after the start
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.name() + " has no field an update may change"));
  }

  private Optional<TimeKey> timeKeyAt(
      CollectionDescriptor<?> c, List<Filter> filters, TimeKey after, int position) {
    return tx(() -> store.timeKeyAt(c, filters, after, position));
  }

  private long count(CollectionDescriptor<?> c, String... params) {
    return tx(() -> store.count(c, filters(c, params)));
  }

  private List<UUID> ids(CollectionDescriptor<?> c, String... params) {
    return found(c, PARSER.query(c, params(params))).stream().map(StoredRecord::getId).toList();
  }

  /**
   * The records of a query, as {@code find} finds them, after checking that {@code findReadOnly}
   * finds the same ones in the same order with every field the same: every query of this contract
   * checks both ways.
   */
  private <E extends StoredRecord> List<E> found(CollectionDescriptor<E> c, RecordQuery query) {
    List<E> viaFind = tx(() -> store.find(c, query));
    List<E> readOnly = tx(() -> store.findReadOnly(c, query));
    assertThat(readOnly.stream().map(StoredRecord::getId).toList())
        .as(c.name() + " findReadOnly " + query)
        .isEqualTo(viaFind.stream().map(StoredRecord::getId).toList());
    for (int i = 0; i < viaFind.size(); i++) {
      for (FieldDefinition field : c.schema().fields()) {
        assertThat(field.read(readOnly.get(i)))
            .as(c.name() + "." + field.name() + " read by findReadOnly")
            .isEqualTo(field.read(viaFind.get(i)));
      }
    }
    return viaFind;
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
}
