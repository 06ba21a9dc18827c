package io.smlguardian.store.retention.batch;

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
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One partition per collection, in the registry's order (so a restart maps the same partitions),
 * each with its collection and cutoff. The cutoffs come from the job parameters when the launcher
 * fixed them; a run started without them (e.g. through the batch management API) computes them from
 * the policies as of now.
 */
@Named
@Dependent
public class RetentionPartitionMapper implements PartitionMapper {

  @Inject RetentionConfig config;
  @Inject JobContext job;

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
    List<RetentionPolicy> policies = config.policies();
    Properties[] partitions = new Properties[policies.size()];
    for (int i = 0; i < partitions.length; i++) {
      RetentionPolicy policy = policies.get(i);
      Instant cutoff = fixed.getOrDefault(policy.collection(), policy.cutoff(now));
      partitions[i] = new Properties();
      partitions[i].setProperty("collection", policy.collection());
      partitions[i].setProperty("cutoff", cutoff.toString());
      partitions[i].setProperty("executionId", Long.toString(job.getExecutionId()));
    }
    PartitionPlanImpl plan = new PartitionPlanImpl();
    plan.setPartitions(partitions.length);
    plan.setThreads(
        threads == null || threads.isBlank()
            ? config.threads()
            : Math.max(1, Math.min(partitions.length, Integer.parseInt(threads))));
    plan.setPartitionProperties(partitions);
    return plan;
  }
}
