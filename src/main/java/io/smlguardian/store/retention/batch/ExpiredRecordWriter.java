package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes one chunk of expired records with one bounded statement, in the chunk's transaction (the
 * batch runtime's, never one of its own). The cutoff is checked again in the delete, so a record
 * whose time changed since it was read is kept. In a dry run it only counts.
 */
@Named
@Dependent
public class ExpiredRecordWriter extends AbstractItemWriter {

  @Inject CollectionRegistry collections;
  @Inject RecordStore store;
  @Inject StepContext step;

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

  @Override
  public void open(java.io.Serializable checkpoint) {
    descriptor = collections.get(collection);
    expired = ExpiredRecordReader.expired(descriptor, Instant.parse(cutoff));
  }

  @Override
  public void writeItems(List<Object> ids) {
    PurgeProgress progress = (PurgeProgress) step.getTransientUserData();
    if (Boolean.parseBoolean(dryRun)) {
      progress.purged(ids.size());
      return;
    }
    List<Filter> chunk = new ArrayList<>(expired);
    chunk.add(new Filter("id", FilterOperator.IN, false, ids));
    long started = System.nanoTime();
    long deleted = store.deleteMatching(descriptor, chunk);
    progress.statement(System.nanoTime() - started);
    progress.purged(deleted);
  }
}
