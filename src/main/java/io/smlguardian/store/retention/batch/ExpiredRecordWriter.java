package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.privacy.LegalHolds;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes one chunk's range of expired records, in the chunk's transaction (the batch runtime's,
 * never one of its own): the records strictly between its first and last instants as one time
 * range, and those at a boundary instant by id, each statement bounded by the chunk size. The
 * cutoff is checked again in each, so a record whose time changed since it was read is kept. In a
 * dry run it counts the same records instead.
 */
@Named
@Dependent
public class ExpiredRecordWriter extends AbstractItemWriter {

  @Inject CollectionRegistry collections;
  @Inject RecordStore store;
  @Inject StepContext step;
  @Inject LegalHolds holds;

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
    expired = ExpiredRecordReader.expired(descriptor, Instant.parse(cutoff), holds.heldUsers());
    dry = Boolean.parseBoolean(dryRun);
  }

  @Override
  public void writeItems(List<Object> ranges) {
    PurgeProgress progress = (PurgeProgress) step.getTransientUserData();
    for (Object range : ranges) {
      for (List<Filter> part : ((KeyRange) range).filters(descriptor.timeField())) {
        List<Filter> filters = new ArrayList<>(expired);
        filters.addAll(part);
        long started = System.nanoTime();
        long matched =
            dry ? store.count(descriptor, filters) : store.deleteMatching(descriptor, filters);
        progress.statement(System.nanoTime() - started);
        progress.purged(matched);
      }
    }
  }
}
