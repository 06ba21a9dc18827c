package io.smlguardian.store.retention.batch;

import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.retention.RetentionConfig;
import io.smlguardian.store.retention.RetentionPolicy;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One partition per collection, each with its collection and cutoff. The cutoffs come from the job
 * parameters when the launcher fixed them; a run started without them (e.g. through the batch
 * management API) computes them from the policies as of now.
 *
 * <p>The collections with the latest cutoff (the shortest period: interactions, sessions) go first,
 * since that is where most records fall due: with fewer threads than collections, the biggest
 * purges start at once instead of after the small ones. Ties keep the registry's order. The order
 * follows the cutoffs alone, so a restart, which reuses them, maps the same partitions (a reader
 * handed another collection's checkpoint starts that collection afresh, see {@link
 * ExpiredRecordReader}).
 */
@Named
@Dependent
public class RetentionPartitionMapper implements PartitionMapper {

  @Inject RetentionConfig config;
  @Inject JobContext job;

  /**
   * No more partitions run at once than the store has writers for ({@link
   * BulkStore#concurrentWriters()}): on a store of one connection (SQLite) a second partition would
   * only wait for that connection inside its own chunk transaction, holding a batch thread, until a
   * chunk of the first one (up to 50,000 deletes) had committed.
   */
  @Inject BulkStore store;

  @Inject
  @BatchProperty(name = PurgeJob.CUTOFFS)
  String cutoffs;

  @Inject
  @BatchProperty(name = PurgeJob.THREADS)
  String threads;

  @Override
  public PartitionPlan mapPartitions() {
    Map<String, Instant> fixed = PurgeJob.parseCutoffs(cutoffs);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<String, Instant> due = new LinkedHashMap<>();
    for (RetentionPolicy policy : config.policies()) {
      due.put(policy.collection(), fixed.getOrDefault(policy.collection(), policy.cutoff(now)));
    }
    List<Map.Entry<String, Instant>> latestFirst = latestCutoffFirst(due);
    Properties[] partitions = new Properties[latestFirst.size()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = new Properties();
      partitions[i].setProperty("collection", latestFirst.get(i).getKey());
      partitions[i].setProperty("cutoff", latestFirst.get(i).getValue().toString());
      partitions[i].setProperty("executionId", Long.toString(job.getExecutionId()));
    }
    PartitionPlanImpl plan = new PartitionPlanImpl();
    plan.setPartitions(partitions.length);
    plan.setThreads(Math.min(requestedThreads(partitions.length), store.concurrentWriters()));
    plan.setPartitionProperties(partitions);
    return plan;
  }

  private int requestedThreads(int partitions) {
    return threads == null || threads.isBlank()
        ? config.threads()
        : Math.max(1, Math.min(partitions, Integer.parseInt(threads)));
  }

  /** The collections and their cutoffs, the latest cutoff first; ties in the given order. */
  static List<Map.Entry<String, Instant>> latestCutoffFirst(Map<String, Instant> cutoffs) {
    return cutoffs.entrySet().stream()
        .sorted(Map.Entry.<String, Instant>comparingByValue().reversed())
        .toList();
  }
}
