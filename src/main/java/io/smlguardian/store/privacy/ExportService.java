package io.smlguardian.store.privacy;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordMapper;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.resilience.DatabaseBoundary;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.streaming.Handoff;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The right of access: every record of a user, collection by collection, read as the backup reads
 * (one read-only snapshot of the store, so the collections agree with each other; one streamed
 * query per collection over the owner's index, with large fetches) while another thread opens the
 * sealed fields and encodes the records read before. Memory stays bounded by a few batches,
 * whatever the user's number of records.
 *
 * <p>The export itself is not guarded by the database's retries: once bytes have gone out, a repeat
 * would send them twice. Its audit entries are.
 */
@ApplicationScoped
public class ExportService {

  /** Records handed from the reading thread to the encoding one at a time. */
  static final int BATCH = 1000;

  /** Batches read ahead of the encoder, at most. */
  private static final int QUEUED_BATCHES = 4;

  private CollectionRegistry collections;
  private BulkStore store;
  private RecordMapper mapper;
  private AuditTrail audit;

  /** Encodes while the snapshot reads on; without it (unit tests) encoding is done in turn. */
  @Resource ManagedExecutorService executor;

  protected ExportService() {}

  @Inject
  public ExportService(
      CollectionRegistry collections, BulkStore store, RecordMapper mapper, AuditTrail audit) {
    this.collections = collections;
    this.store = store;
    this.mapper = mapper;
    this.audit = audit;
  }

  /** Receives an export: each collection's records, as the API shows them, between its ends. */
  interface RecordSink {
    void begin(String collection) throws IOException;

    /** One record, in id order; called on the encoding thread. */
    void record(RecordText record) throws IOException;

    void end(String collection, long records) throws IOException;
  }

  /**
   * One record as text: its JSON view as the API shows it ({@link RecordMapper#writeJson}), written
   * straight into the sink's writer, never built as an object first.
   */
  @FunctionalInterface
  interface RecordText {
    void writeTo(Writer out) throws IOException;
  }

  /** The collections an export covers, in a stable order: every owned one. */
  public List<String> exportedCollections() {
    return owned().stream().map(CollectionDescriptor::name).toList();
  }

  /**
   * Hands every record of the user to the sink, collection by collection; returns how many each
   * had. Call it outside a transaction: the snapshot is a read of its own.
   */
  Map<String, Long> export(String userId, RecordSink sink) throws IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (RecordSnapshot snapshot = store.openSnapshot()) {
      for (CollectionDescriptor<?> collection : owned()) {
        sink.begin(collection.name());
        long records = export(snapshot, collection, userId, sink);
        sink.end(collection.name(), records);
        counts.put(collection.name(), records);
      }
    }
    return counts;
  }

  private <E extends StoredRecord> long export(
      RecordSnapshot snapshot, CollectionDescriptor<E> collection, String userId, RecordSink sink)
      throws IOException {
    Handoff<List<E>> encoder =
        new Handoff<>(
            (Executor) executor,
            QUEUED_BATCHES,
            1, // one encoder: records go out in order
            batch -> {
              for (E record : batch) {
                sink.record(out -> mapper.writeJson(collection, record, userId, out));
              }
            });
    return Handoff.feedInBatches(
        encoder, BATCH, each -> snapshot.readOwnedBy(collection, userId, each::accept));
  }

  private List<CollectionDescriptor<?>> owned() {
    return collections.all().stream().filter(CollectionDescriptor::owned).toList();
  }

  /**
   * Records that an export starts, before its first byte is sent: an export that fails midway is an
   * access too.
   */
  @DatabaseBoundary
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordStart(Caller officer, String userId, String format) {
    audit.record(entry(officer, userId, "export " + format + " started", null));
  }

  /** Records that the export happened, with what it contained. */
  @DatabaseBoundary
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordExport(Caller officer, String userId, String format, String counts) {
    audit.record(entry(officer, userId, "export " + format, counts));
  }

  private static AccessLog entry(Caller officer, String userId, String operation, String reason) {
    return new AccessLog(
        userId,
        officer.subject(),
        "export",
        null,
        operation,
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        officer.address(),
        true,
        reason);
  }
}
