package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import io.smlguardian.store.collection.query.SortOrder;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The right of access: every record of a user, collection by collection, read page by page in id
 * order (each page its own short transaction), so that an export of any size streams with memory
 * bounded by one page. Sealed fields are opened on the way out.
 */
@ApplicationScoped
@DatabaseBoundary
public class ExportService {

  /** Records read per page: bounds the memory an export holds at once. */
  static final int PAGE = 500;

  private CollectionRegistry collections;
  private RecordStore store;
  private RecordMapper mapper;
  private AuditTrail audit;

  protected ExportService() {}

  @Inject
  public ExportService(
      CollectionRegistry collections, RecordStore store, RecordMapper mapper, AuditTrail audit) {
    this.collections = collections;
    this.store = store;
    this.mapper = mapper;
    this.audit = audit;
  }

  /** The collections an export covers, in a stable order: every owned one. */
  public List<String> exportedCollections() {
    return collections.all().stream()
        .filter(CollectionDescriptor::owned)
        .map(CollectionDescriptor::name)
        .toList();
  }

  /** One page of the user's records in a collection, after the given id (null for the first). */
  @Transactional(Transactional.TxType.REQUIRES_NEW) // short, also inside a batch step
  public Page page(String collection, String userId, UUID after) {
    return page(collections.get(collection), userId, after);
  }

  private <E extends StoredRecord> Page page(
      CollectionDescriptor<E> collection, String userId, UUID after) {
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.EQ, false, List.of(userId)));
    if (after != null) {
      filters.add(new Filter("id", FilterOperator.GT, false, List.of(after)));
    }
    List<E> records =
        store.find(
            collection, new RecordQuery(filters, List.of(SortOrder.asc("id")), PAGE, 0, List.of()));
    List<JsonObject> json =
        records.stream().map(r -> mapper.toJson(collection, r, List.of())).toList();
    UUID last = records.isEmpty() ? null : records.get(records.size() - 1).getId();
    return new Page(json, records.size() == PAGE ? last : null);
  }

  /**
   * Records that an export starts, before its first byte is sent: an export that fails midway is an
   * access too.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordStart(Caller officer, String userId, String format) {
    audit.record(
        new AccessLog(
            userId,
            officer.subject(),
            "export",
            null,
            "export " + format + " started",
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            officer.address(),
            true,
            null));
  }

  /** Records that the export happened, with what it contained. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordExport(Caller officer, String userId, String format, String counts) {
    audit.record(
        new AccessLog(
            userId,
            officer.subject(),
            "export",
            null,
            "export " + format,
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            officer.address(),
            true,
            counts));
  }

  /**
   * A page of records.
   *
   * @param records the records, in id order
   * @param next the id to continue after, or null when this was the last page
   */
  public record Page(List<JsonObject> records, UUID next) {}
}
