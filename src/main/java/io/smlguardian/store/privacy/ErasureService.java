package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.ViewJson;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.encryption.UserKeyService;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The right to be forgotten: deletes everything of a user in every collection but the audit trail,
 * destroys the user's data keys (so sealed copies in older backups can no longer be read), and
 * records a receipt in the audit trail and the erasure in the store's record of erasures ({@link
 * Erasures}, which every backup carries and every restore re-applies), all in one transaction: an
 * erasure happens entirely or not at all. Erasing a user who has nothing is not an error; it yields
 * an empty receipt. Refused during maintenance (a restore's switch on MongoDB).
 *
 * <p>Each receipt is also fired as a CDI event, for observers that must learn of an erasure.
 */
@ApplicationScoped
@DatabaseBoundary
public class ErasureService {

  static final String AUDIT_EXEMPTION =
      "kept for compliance: the audit trail is retained 7 years and never erased per user";

  private CollectionRegistry collections;
  private RecordStore store;
  private UserKeyService keys;
  private LegalHoldService holds;
  private AuditTrail audit;
  private Event<ErasureReceipt> erasures;
  private Erasures record;
  private Maintenance maintenance;

  protected ErasureService() {}

  @Inject
  public ErasureService(
      CollectionRegistry collections,
      RecordStore store,
      UserKeyService keys,
      LegalHoldService holds,
      AuditTrail audit,
      Event<ErasureReceipt> erasures,
      Erasures record,
      Maintenance maintenance) {
    this.collections = collections;
    this.store = store;
    this.keys = keys;
    this.holds = holds;
    this.audit = audit;
    this.erasures = erasures;
    this.record = record;
    this.maintenance = maintenance;
  }

  @Transactional
  public ErasureReceipt erase(Caller officer, String userId) {
    DataSubjects.require(userId);
    maintenance.refuseDuring("erasure");
    record.begin();
    // Before the check, so that a hold placed meanwhile waits for this erasure, or stops it.
    store.lockUser(userId);
    holds
        .of(userId)
        .ifPresent(
            hold -> {
              throw new LegalHoldException(userId, hold.reason());
            });
    List<Filter> ownedByUser =
        List.of(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId)));
    Map<String, Long> erased = new LinkedHashMap<>();
    Map<String, String> exempt = new LinkedHashMap<>();
    for (CollectionDescriptor<?> collection : collections.all()) {
      if (!collection.owned()) {
        continue;
      }
      if (collection.category() == DataCategory.AUDIT_LOG) {
        exempt.put(collection.name(), AUDIT_EXEMPTION);
      } else {
        erased.put(collection.name(), store.deleteMatching(collection, ownedByUser));
      }
    }
    int keysDestroyed = keys.destroy(userId);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ErasureReceipt receipt =
        ErasureReceipt.of(
            UUID.randomUUID(), userId, officer.subject(), now, erased, exempt, keysDestroyed);
    audit.record(
        new AccessLog(
            userId,
            officer.subject(),
            "erasure",
            null,
            AccessOperation.ERASE.wireName(),
            now,
            officer.address(),
            true,
            ViewJson.toJson(receipt)));
    record.record(receipt);
    erasures.fire(receipt);
    return receipt;
  }
}
