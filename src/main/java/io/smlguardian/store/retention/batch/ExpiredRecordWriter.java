package io.smlguardian.store.retention.batch;

import io.smlguardian.store.accesslog.AuditLedger;
import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.TimeKeyRange;
import io.smlguardian.store.collection.query.Filter;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * Deletes one chunk's range of expired records, in the chunk's transaction (the batch runtime's,
 * never one of its own), with one statement bounded by the chunk size (the last range is
 * open-ended, and held fewer records than that when it was read). The cutoff is checked again in
 * it, so a record whose time changed since it was read is kept. In a dry run it counts the same
 * records instead.
 */
@Named
@Dependent
public class ExpiredRecordWriter extends AbstractItemWriter {

  @Inject CollectionRegistry collections;
  @Inject BulkStore store;
  @Inject StepContext step;
  @Inject AuditLedger auditLedger;

  @Inject
  @BatchProperty(name = "collection")
  String collection;

  @Inject
  @BatchProperty(name = "cutoff")
  String cutoff;

  @Inject
  @BatchProperty(name = "dryRun")
  String dryRun;

  private CollectionDescriptor<?> descriptor;
  private List<Filter> expired;
  private boolean dry;

  @Override
  public void open(Serializable checkpoint) {
    descriptor = collections.get(collection);
    dry = Boolean.parseBoolean(dryRun);
    expired = ExpiredRecordReader.expired(descriptor, Instant.parse(cutoff), auditLedger, dry);
  }

  @Override
  public void writeItems(List<Object> ranges) {
    PurgeProgress progress = (PurgeProgress) step.getTransientUserData();
    for (Object item : ranges) {
      TimeKeyRange range = (TimeKeyRange) item;
      long started = System.nanoTime();
      long matched =
          dry
              ? store.count(descriptor, expired, range)
              : store.deleteMatching(descriptor, expired, range);
      progress.statement(System.nanoTime() - started);
      progress.purged(matched);
    }
  }
}
