package io.smlguardian.store.ops;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Batch job runs and outcomes as metrics, for every job alike, by watching the job repository: a
 * poll every {@code OPS_JOB_POLL_SECONDS} (5) reads the recent executions of each job and
 *
 * <ul>
 *   <li>counts each execution once when it has ended, by job and final batch status ({@value
 *       #EXECUTIONS}, Prometheus {@code guardian_batch_job_executions_total});
 *   <li>sets how many executions of each job are running ({@value #RUNNING});
 *   <li>sets when each job last completed, in seconds since the epoch ({@value #LAST_SUCCESS}), for
 *       alerts such as "no backup for a day".
 * </ul>
 *
 * <p>Watching rather than a job listener: Jakarta Batch has no listener for all jobs, and a
 * listener in every job XML would be forgotten in the next one. The price is that a figure can lag
 * by one poll, and an execution that starts and is followed by more than {@value #WINDOW} newer
 * instances of its job within one poll is not counted.
 */
@ApplicationScoped
public class BatchJobMetrics {

  public static final String EXECUTIONS = "guardian.batch.job.executions";
  public static final String RUNNING = "guardian.batch.job.running";
  public static final String LAST_SUCCESS = "guardian.batch.job.last.success";

  /** The instances per job read at each poll. */
  static final int WINDOW = 50;

  private static final Logger LOG = Logger.getLogger(BatchJobMetrics.class.getName());

  @Resource ManagedScheduledExecutorService executor;
  @Inject BatchJobs jobs;
  @Inject MetricRegistry registry;

  @Inject
  @ConfigProperty(name = "OPS_JOB_POLL_SECONDS", defaultValue = "5")
  int pollSeconds;

  /** Ended executions already counted, among those the last poll saw. */
  private Set<Long> counted = Set.of();

  private final Map<String, AtomicLong> running = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
  private ScheduledFuture<?> poll;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (pollSeconds < 1) {
      throw new IllegalArgumentException(
          "OPS_JOB_POLL_SECONDS must be at least 1, got " + pollSeconds);
    }
    poll = executor.scheduleWithFixedDelay(this::pollSafely, 0, pollSeconds, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    if (poll != null) {
      poll.cancel(false);
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not read the batch job repository for metrics", e);
    }
  }

  /** One look at the repository; synchronized because it runs on the schedule and in tests. */
  synchronized void poll() {
    Set<Long> seenEnded = new HashSet<>();
    for (String job : jobs.jobNames()) {
      List<JobRun> runs = jobs.recent(job, WINDOW, false);
      long runningNow = 0;
      for (JobRun run : runs) {
        if (!run.ended()) {
          runningNow++;
          continue;
        }
        seenEnded.add(run.executionId());
        if (!counted.contains(run.executionId())) {
          executions(job, run.status()).inc();
        }
        if ("COMPLETED".equals(run.status()) && run.end() != null) {
          lastSuccess(job).accumulateAndGet(run.end().getEpochSecond(), Math::max);
        }
      }
      running(job).set(runningNow);
    }
    counted = seenEnded;
  }

  private Counter executions(String job, String status) {
    return registry.counter(
        Metadata.builder()
            .withName(EXECUTIONS)
            .withDescription("Batch job executions that ended, by job and final batch status")
            .build(),
        new Tag("job", job),
        new Tag("status", status));
  }

  private AtomicLong running(String job) {
    return running.computeIfAbsent(
        job,
        name -> {
          AtomicLong value = new AtomicLong();
          registry.gauge(
              Metadata.builder()
                  .withName(RUNNING)
                  .withDescription("Executions of the batch job that have not ended")
                  .build(),
              value,
              AtomicLong::get,
              new Tag("job", name));
          return value;
        });
  }

  private AtomicLong lastSuccess(String job) {
    return lastSuccess.computeIfAbsent(
        job,
        name -> {
          AtomicLong value = new AtomicLong();
          registry.gauge(
              Metadata.builder()
                  .withName(LAST_SUCCESS)
                  .withDescription("When the batch job last completed, in seconds since the epoch")
                  .withUnit(MetricUnits.SECONDS)
                  .build(),
              value,
              AtomicLong::get,
              new Tag("job", name));
          return value;
        });
  }
}
