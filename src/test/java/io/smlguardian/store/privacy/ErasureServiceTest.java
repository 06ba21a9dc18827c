package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.encryption.UserKeyService;
import io.smlguardian.store.mongo.MongoRecordStore;
import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.resilience.MaintenanceException;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Role;
import io.smlguardian.store.testsupport.GeneratedRecords;
import io.smlguardian.store.testsupport.InProcessMongo;
import io.smlguardian.store.testsupport.LocalTransactions;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.ServerJsonb;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An erasure's rules outside the server, on the MongoDB store in process: what it deletes and what
 * it keeps, in every registered collection; what it records (receipt, audit entry, the record of
 * erasures, the event); and when it refuses (legal hold, maintenance, an invalid user id) having
 * changed nothing. Keys and the audit trail are recorders of their calls; the legal holds are the
 * real ones on the same store.
 */
class ErasureServiceTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00.000001Z");

  @RegisterExtension static final InProcessMongo MONGO = new InProcessMongo();

  private final CollectionRegistry registry = RegisteredCollections.registry();
  private final Caller officer = new Caller("officer", Set.of(Role.PRIVACY_OFFICER), "10.0.0.9");
  private final List<AccessLog> audited = new ArrayList<>();
  private final List<String> keysDestroyed = new ArrayList<>();
  private final AtomicReference<ErasureReceipt> fired = new AtomicReference<>();
  private final Maintenance maintenance = new Maintenance();

  private MongoDatabase database;
  private MongoRecordStore store;
  private ErasureService erasures;

  private static String previousNaming;

  @BeforeAll
  static void startServer() {
    // The store's user locks find the transaction registry in JNDI, as in the server.
    previousNaming =
        System.setProperty(
            javax.naming.Context.INITIAL_CONTEXT_FACTORY, LocalTransactions.Naming.class.getName());
  }

  @AfterAll
  static void stopServer() {
    if (previousNaming == null) {
      System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, previousNaming);
    }
  }

  /** An erasure in a transaction, as the server runs it: the erased user's lock needs one. */
  private ErasureReceipt erase(Caller caller, String user) {
    LocalTransactions.REGISTRY.begin();
    boolean completed = false;
    try {
      ErasureReceipt receipt = erasures.erase(caller, user);
      completed = true;
      return receipt;
    } finally {
      LocalTransactions.REGISTRY.end(completed);
    }
  }

  @BeforeEach
  void newService() {
    database = MONGO.newDatabase("erasure_");
    store = new MongoRecordStore(database, RegisteredCollections.all());
    AuditTrail audit =
        new AuditTrail() {
          @Override
          public void record(AccessLog entry) {
            audited.add(entry);
          }
        };
    UserKeyService keys =
        new UserKeyService() {
          @Override
          public int destroy(String userId) {
            keysDestroyed.add(userId);
            return 2;
          }
        };
    Erasures record =
        new Erasures(store, store) {
          @Override
          void begin() {} // the restore's switch lock: a JTA synchronization in the server
        };
    erasures =
        new ErasureService(
            registry,
            store,
            keys,
            new LegalHoldService(store, audit),
            audit,
            new Recorded(fired),
            record,
            maintenance);
  }

  @AfterEach
  void dropDatabase() {
    database.drop();
  }

  @Test
  void erasesTheUsersRecordsInEveryOwnedCollectionButTheAuditTrail() {
    for (CollectionDescriptor<?> c : registry.all()) {
      insert(c, "gone");
      insert(c, "gone");
      insert(c, "kept");
    }

    ErasureReceipt receipt = erase(officer, "gone");

    for (CollectionDescriptor<?> c : registry.all()) {
      boolean audit = c.category() == DataCategory.AUDIT_LOG;
      if (!c.owned()) {
        assertThat(store.count(c, List.of())).as(c.name()).isEqualTo(3);
      } else if (audit) {
        assertThat(ownedBy(c, "gone")).as(c.name()).isEqualTo(2);
        assertThat(receipt.exempt())
            .as(c.name())
            .containsEntry(c.name(), ErasureService.AUDIT_EXEMPTION);
      } else {
        assertThat(ownedBy(c, "gone")).as(c.name()).isZero();
        assertThat(ownedBy(c, "kept")).as(c.name()).isOne();
        assertThat(receipt.erased()).as(c.name()).containsEntry(c.name(), 2L);
      }
    }
    assertThat(receipt.erased().keySet())
        .doesNotContainAnyElementsOf(receipt.exempt().keySet())
        .allSatisfy(name -> assertThat(registry.get(name).owned()).isTrue());
    assertThat(receipt.keysDestroyed()).isEqualTo(2);
    assertThat(keysDestroyed).containsExactly("gone");
  }

  @Test
  void recordsTheErasureInTheAuditTrailTheRecordOfErasuresAndAnEvent() {
    ErasureReceipt receipt = erase(officer, "gone");

    assertThat(receipt.userId()).isEqualTo("gone");
    assertThat(receipt.erasedBy()).isEqualTo("officer");
    assertThat(audited).hasSize(1);
    assertThat(field(audited.get(0), "operation")).isEqualTo("erase");
    assertThat(field(audited.get(0), "userId")).isEqualTo("gone");
    assertThat(field(audited.get(0), "principal")).isEqualTo("officer");
    assertThat(field(audited.get(0), "reason")).isEqualTo(ServerJsonb.toJson(receipt));
    Erasure recorded = store.findById(Erasures.ERASURES, receipt.id()).orElseThrow();
    assertThat(recorded.getUserId()).isEqualTo("gone");
    assertThat(fired.get()).isEqualTo(receipt);
  }

  @Test
  void aUserWithNothingStoredGetsAnEmptyReceipt() {
    ErasureReceipt receipt = erase(officer, "nobody");

    assertThat(receipt.total()).isZero();
    assertThat(receipt.erased())
        .isNotEmpty()
        .allSatisfy((name, count) -> assertThat(count).isZero());
  }

  @Test
  void aUserUnderALegalHoldIsNotErasedAndNothingChanges() {
    for (CollectionDescriptor<?> c : registry.all()) {
      insert(c, "held");
    }
    store.insert(
        LegalHoldService.HOLDS, List.of(new LegalHold("held", "litigation 42", "counsel")));

    assertThatThrownBy(() -> erase(officer, "held"))
        .isInstanceOf(LegalHoldException.class)
        .hasMessageContaining("litigation 42");

    for (CollectionDescriptor<?> c : registry.all()) {
      assertThat(store.count(c, List.of())).as(c.name()).isOne();
    }
    assertNothingRecorded();
  }

  @Test
  void noErasureDuringMaintenance() throws Exception {
    insert(registry.get("memories"), "gone");

    maintenance.during(
        "a restore's switch",
        () -> {
          assertThatThrownBy(() -> erase(officer, "gone")).isInstanceOf(MaintenanceException.class);
          return null;
        });

    assertThat(ownedBy(registry.get("memories"), "gone")).isOne();
    assertNothingRecorded();
  }

  @Test
  void anInvalidUserIdIsRefusedBeforeAnything() {
    assertThatThrownBy(() -> erase(officer, " "))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("userId");
    assertThatThrownBy(() -> erase(officer, "x".repeat(129)))
        .isInstanceOf(InvalidRequestException.class);

    assertNothingRecorded();
  }

  private void assertNothingRecorded() {
    assertThat(audited).isEmpty();
    assertThat(keysDestroyed).isEmpty();
    assertThat(fired.get()).isNull();
    assertThat(store.count(Erasures.ERASURES, List.of())).isZero();
  }

  private <E extends StoredRecord> void insert(CollectionDescriptor<E> c, String userId) {
    store.insert(c, List.of(GeneratedRecords.full(c, userId, T0)));
  }

  private long ownedBy(CollectionDescriptor<?> c, String userId) {
    return store.count(c, List.of(new Filter("userId", FilterOperator.EQ, false, List.of(userId))));
  }

  private static Object field(AccessLog entry, String name) {
    return AccessLogs.COLLECTION.schema().field(name).orElseThrow().read(entry);
  }

  /** The CDI event, as the observers would receive it: the last receipt fired. */
  private record Recorded(AtomicReference<ErasureReceipt> last) implements Event<ErasureReceipt> {

    @Override
    public void fire(ErasureReceipt event) {
      last.set(event);
    }

    @Override
    public <U extends ErasureReceipt> CompletionStage<U> fireAsync(U event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends ErasureReceipt> CompletionStage<U> fireAsync(
        U event, NotificationOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Event<ErasureReceipt> select(Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends ErasureReceipt> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends ErasureReceipt> Event<U> select(
        TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }
}
