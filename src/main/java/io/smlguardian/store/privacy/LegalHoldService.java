package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Legal holds, kept through the store like every record (so on every backend) but not as a
 * collection of the API: {@link #HOLDS} is never registered.
 */
@ApplicationScoped
@Transactional
@DatabaseBoundary
public class LegalHoldService {

  /** Not subject to retention: a hold lasts until it is released. Public for backups. */
  public static final CollectionDescriptor<LegalHold> HOLDS =
      new CollectionDescriptor<>(
          "legal_holds",
          LegalHold.class,
          DataCategory.SYSTEM_CONFIG,
          Period.ZERO,
          "createdAt",
          List.of());

  private RecordStore store;
  private AuditTrail audit;

  protected LegalHoldService() {}

  @Inject
  public LegalHoldService(RecordStore store, AuditTrail audit) {
    this.store = store;
    this.audit = audit;
  }

  /** A reset of the store (memory, when enabled) releases every hold with the records. */
  void storeCleared(@Observes StoreCleared reset) {
    store.deleteMatching(HOLDS, List.of());
  }

  /** The hold on the user, if any. */
  public Optional<LegalHold> of(String userId) {
    return store
        .find(
            HOLDS,
            new RecordQuery(
                List.of(
                    new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId))),
                List.of(SortOrder.asc("createdAt")),
                1,
                0,
                List.of()))
        .stream()
        .findFirst();
  }

  /**
   * The records of users under no legal hold: retention keeps held users' records whatever their
   * age. One condition that the database answers within the delete itself (a subquery over the
   * holds), however many holds there are.
   */
  public static Filter notHeld() {
    return new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.OWNER_IN, true, List.of(HOLDS));
  }

  /** Places a hold; placing one on a user already held keeps the first. */
  public View place(Caller officer, String userId, String reason) {
    store.lockUser(userId); // an erasure of the user running now ends first (ErasureService)
    LegalHold hold =
        of(userId)
            .orElseGet(
                () -> {
                  LegalHold placed = new LegalHold(userId, reason, officer.subject());
                  store.insert(HOLDS, List.of(placed));
                  return placed;
                });
    audit.record(entry(officer, userId, AccessOperation.HOLD_PLACED, hold.reason()));
    return new View(userId, hold.reason(), hold.placedBy(), hold.getCreatedAt());
  }

  /** The audit entry of a hold placed or released, in the same transaction as the change. */
  private static AccessLog entry(
      Caller officer, String userId, AccessOperation operation, String reason) {
    return new AccessLog(
        userId,
        officer.subject(),
        "write",
        HOLDS.name(),
        operation.wireName(),
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        officer.address(),
        true,
        reason);
  }

  /** A hold as the API shows it. */
  @JsonbPropertyOrder({"userId", "reason", "placedBy", "placedAt"})
  public record View(String userId, String reason, String placedBy, java.time.Instant placedAt) {}

  /** Releases the hold; returns whether there was one (only a release is recorded). */
  public boolean release(Caller officer, String userId) {
    store.lockUser(userId);
    boolean released =
        store.deleteMatching(
                HOLDS,
                List.of(
                    new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId))))
            > 0;
    if (released) {
      audit.record(entry(officer, userId, AccessOperation.HOLD_RELEASED, null));
    }
    return released;
  }
}
