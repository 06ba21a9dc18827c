package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Period;
import java.util.List;
import java.util.Optional;

/**
 * Legal holds, kept through the store like every record (so on every backend) but not as a
 * collection of the API: {@link #HOLDS} is never registered.
 */
@ApplicationScoped
@Transactional
public class LegalHolds {

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

  protected LegalHolds() {}

  @Inject
  public LegalHolds(RecordStore store) {
    this.store = store;
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

  /** Every user under legal hold: retention keeps their records whatever their age. */
  public List<String> heldUsers() {
    return store
        .find(
            HOLDS,
            new RecordQuery(List.of(), List.of(SortOrder.asc("createdAt")), 10_000, 0, List.of()))
        .stream()
        .map(LegalHold::getUserId)
        .distinct()
        .toList();
  }

  /** Places a hold; placing one on a user already held keeps the first. */
  public View place(Caller officer, String userId, String reason) {
    LegalHold hold =
        of(userId)
            .orElseGet(
                () -> {
                  LegalHold placed = new LegalHold(userId, reason, officer.subject());
                  store.insert(HOLDS, List.of(placed));
                  return placed;
                });
    return new View(userId, hold.reason(), hold.placedBy(), hold.getCreatedAt());
  }

  /** A hold as the API shows it. */
  public record View(String userId, String reason, String placedBy, java.time.Instant placedAt) {}

  /** Releases the hold; returns whether there was one. */
  public boolean release(String userId) {
    return store.deleteMatching(
            HOLDS,
            List.of(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId))))
        > 0;
  }
}
