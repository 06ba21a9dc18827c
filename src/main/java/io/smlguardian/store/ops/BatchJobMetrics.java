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
  @Inject JobExecutions jobs;
  @Inject MetricRegistry registry;

  @Inject
  @ConfigProperty(name = "OPS_JOB_POLL_SECONDS", defaultValue = "5")
  int pollSeconds;

  /** Ended executions already counted, among those the last poll saw. */
  private Set<Long> counted = Set.of();

  /**
   * Ended executions counted since start, by (job, status). The registry's counters are brought up
   * to these at each poll, so a counter that another copy of this WAR removed on its undeploy (the
   * registry is shared; the in-container tests deploy one) comes back with its full count.
   */
  private final Map<List<String>, AtomicLong> ended = new ConcurrentHashMap<>();

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

  /** One look at the repository (polls never overlap: each is scheduled after the last ended). */
  void poll() {
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
          ended
              .computeIfAbsent(List.of(job, run.status()), key -> new AtomicLong())
              .incrementAndGet();
        }
        if ("COMPLETED".equals(run.status()) && run.end() != null) {
          lastSuccess(job).accumulateAndGet(run.end().getEpochSecond(), Math::max);
        }
      }
      running(job).set(runningNow);
    }
    counted = seenEnded;
    ended.forEach(
        (key, total) -> {
          Counter counter = executions(key.get(0), key.get(1));
          long behind = total.get() - counter.getCount();
          if (behind > 0) {
            counter.inc(behind);
          }
        });
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

  /**
   * The gauge's value holder, registered again at every poll: the application registry is shared by
   * every application on the server, and undeploying another copy of this WAR (the in-container
   * tests deploy one) removes the gauges both registered.
   */
  private AtomicLong running(String job) {
    AtomicLong value = running.computeIfAbsent(job, name -> new AtomicLong());
    registry.gauge(
        Metadata.builder()
            .withName(RUNNING)
            .withDescription("Executions of the batch job that have not ended")
            .build(),
        value,
        AtomicLong::get,
        new Tag("job", job));
    return value;
  }

  private AtomicLong lastSuccess(String job) {
    AtomicLong value = lastSuccess.computeIfAbsent(job, name -> new AtomicLong());
    registry.gauge(
        Metadata.builder()
            .withName(LAST_SUCCESS)
            .withDescription("When the batch job last completed, in seconds since the epoch")
            .withUnit(MetricUnits.SECONDS)
            .build(),
        value,
        AtomicLong::get,
        new Tag("job", job));
    return value;
  }
}
