package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.TimeKey;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads the keys (time, id) of one collection's expired records (time field before the partition's
 * cutoff) in time order, a page at a time after the last key read: keyset paging on the time index,
 * so each read is one bounded index range, it never scans what was deleted before it, and the
 * chunks follow the order records were written in. Its checkpoint is the {@link PurgeProgress},
 * whose last key is where a restarted run resumes.
 */
@Named
@Dependent
public class ExpiredRecordReader extends AbstractItemReader {

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
  @BatchProperty(name = "pageSize")
  String pageSize;

  private CollectionDescriptor<?> descriptor;
  private List<Filter> expired;
  private int limit;
  private PurgeProgress progress;
  private final Deque<TimeKey> page = new ArrayDeque<>();
  private boolean exhausted;

  @Override
  public void open(Serializable checkpoint) {
    descriptor = collections.get(collection);
    expired = expired(descriptor, Instant.parse(cutoff));
    limit = Integer.parseInt(pageSize);
    progress =
        checkpoint instanceof PurgeProgress saved
            ? saved.resumed()
            : new PurgeProgress(collection, cutoff);
    step.setTransientUserData(progress);
  }

  @Override
  public Object readItem() {
    if (page.isEmpty() && !exhausted) {
      long started = System.nanoTime();
      List<TimeKey> keys = store.timeKeys(descriptor, expired, progress.last(), limit);
      progress.statement(System.nanoTime() - started);
      exhausted = keys.size() < limit;
      page.addAll(keys);
    }
    TimeKey key = page.poll();
    if (key != null) {
      progress.read(key);
    }
    return key;
  }

  @Override
  public Serializable checkpointInfo() {
    return progress.snapshot();
  }

  static List<Filter> expired(CollectionDescriptor<?> collection, Instant cutoff) {
    return List.of(new Filter(collection.timeField(), FilterOperator.LT, false, List.of(cutoff)));
  }
}
