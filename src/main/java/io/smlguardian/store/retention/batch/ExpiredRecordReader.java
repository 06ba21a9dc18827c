package io.smlguardian.store.retention.batch;

import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.privacy.LegalHoldService;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Cuts one collection's expired records (time field before the partition's cutoff) into ranges of
 * at most the chunk size, in time order (time field, then id), one range per chunk: each read is
 * one bounded index range after the last key read (keyset paging), never scans what was deleted
 * before it, and follows the order records were written in. Its checkpoint is the {@link
 * PurgeProgress}, whose last key is where a restarted run resumes (a checkpoint of another
 * collection, were the partitions mapped otherwise, is ignored: the purge starts over, which
 * deletes nothing twice).
 */
@Named
@Dependent
public class ExpiredRecordReader extends AbstractItemReader {

  @Inject CollectionRegistry collections;
  @Inject BulkStore store;
  @Inject StepContext step;

  @Inject
  @BatchProperty(name = "collection")
  String collection;

  @Inject
  @BatchProperty(name = "cutoff")
  String cutoff;

  @Inject
  @BatchProperty(name = "chunkSize")
  String chunkSize;

  @Inject AuditLedger auditLedger;

  private CollectionDescriptor<?> descriptor;
  private List<Filter> expired;
  private int size;
  private PurgeProgress progress;

  @Override
  public void open(Serializable checkpoint) {
    descriptor = collections.get(collection);
    // The ranges are cut over held and free records alike (the writer's delete keeps the held):
    // a hold check here would be repeated over every remaining expired record at each range.
    expired =
        expired(descriptor, Instant.parse(cutoff), auditLedger, true).stream()
            .filter(f -> !f.equals(LegalHoldService.notHeld()))
            .toList();
    size = Integer.parseInt(chunkSize);
    progress =
        checkpoint instanceof PurgeProgress saved && saved.collection().equals(collection)
            ? saved.resumed()
            : new PurgeProgress(collection, cutoff);
    step.setTransientUserData(progress);
  }

  /** The next range of at most the chunk size; the last one is open-ended (and may be empty). */
  @Override
  public Object readItem() {
    if (progress.finished()) {
      return null;
    }
    long started = System.nanoTime();
    Optional<TimeKey> end = store.timeKeyAt(descriptor, expired, progress.last(), size);
    progress.statement(System.nanoTime() - started);
    TimeKeyRange range = new TimeKeyRange(progress.last(), end.orElse(null));
    progress.read(range);
    return range;
  }

  @Override
  public Serializable checkpointInfo() {
    return progress.snapshot();
  }

  /**
   * The records past the cutoff, but for those of users under legal hold, which are kept whatever
   * their age (every hold: the database checks them within each statement, see {@link
   * LegalHoldService#notHeld}). In the audit trail, only the entries of the ledger's blocks retired
   * by this cutoff (see {@link AuditLedger#retireBlocksBefore}): whole blocks go, so that what
   * remains verifies.
   *
   * @param dryRun whether blocks are only counted, not retired
   */
  static List<Filter> expired(
      CollectionDescriptor<?> collection, Instant cutoff, AuditLedger auditLedger, boolean dryRun) {
    List<Filter> filters = new java.util.ArrayList<>();
    if (collection.category() == DataCategory.AUDIT_LOG) {
      long retired = auditLedger.retireBlocksBefore(cutoff, dryRun);
      filters.add(new Filter("block", FilterOperator.LTE, false, List.of(retired)));
    }
    filters.add(new Filter(collection.timeField(), FilterOperator.LT, false, List.of(cutoff)));
    if (collection.owned()) {
      filters.add(LegalHoldService.notHeld());
    }
    return filters;
  }
}
