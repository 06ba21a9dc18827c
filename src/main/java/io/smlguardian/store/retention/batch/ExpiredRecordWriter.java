package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
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
 * Deletes one chunk of expired records, in the chunk's transaction (the batch runtime's, never one
 * of its own). The chunk is a run of keys in time order, so it is deleted as one time range (the
 * records strictly between its first and last instants: all of them were read) plus, by id, those
 * at the first and the last instant (others of those instants belong to the chunks before and
 * after): each statement bounded by the chunk size. The cutoff is checked again in each, so a
 * record whose time changed since it was read is kept. In a dry run it only counts.
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
  public void open(Serializable checkpoint) {
    descriptor = collections.get(collection);
    expired = ExpiredRecordReader.expired(descriptor, Instant.parse(cutoff));
  }

  @Override
  public void writeItems(List<Object> items) {
    PurgeProgress progress = (PurgeProgress) step.getTransientUserData();
    List<TimeKey> keys = items.stream().map(TimeKey.class::cast).toList();
    if (Boolean.parseBoolean(dryRun)) {
      progress.purged(keys.size());
      return;
    }
    Instant first = keys.get(0).time();
    Instant last = keys.get(keys.size() - 1).time();
    long deleted = delete(atInstant(first, keys));
    if (!last.equals(first)) {
      deleted +=
          delete(
              List.of(
                  new Filter(descriptor.timeField(), FilterOperator.GT, false, List.of(first)),
                  new Filter(descriptor.timeField(), FilterOperator.LT, false, List.of(last))));
      deleted += delete(atInstant(last, keys));
    }
    progress.purged(deleted);
  }

  /** The chunk's records at one instant, by id. */
  private List<Filter> atInstant(Instant time, List<TimeKey> keys) {
    List<Object> ids =
        keys.stream().filter(k -> k.time().equals(time)).map(k -> (Object) k.id()).toList();
    return List.of(
        new Filter(descriptor.timeField(), FilterOperator.EQ, false, List.of(time)),
        new Filter("id", FilterOperator.IN, false, ids));
  }

  private long delete(List<Filter> chunk) {
    List<Filter> filters = new ArrayList<>(expired);
    filters.addAll(chunk);
    PurgeProgress progress = (PurgeProgress) step.getTransientUserData();
    long started = System.nanoTime();
    long deleted = store.deleteMatching(descriptor, filters);
    progress.statement(System.nanoTime() - started);
    return deleted;
  }
}
