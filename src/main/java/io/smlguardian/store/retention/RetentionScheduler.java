package io.smlguardian.store.retention;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the purge by itself on {@code RETENTION_SCHEDULE} (unless {@code RETENTION_ENABLED=false}),
 * on the server's managed scheduled executor. The launch runs outside any transaction (the job
 * opens its own per chunk) and, like an operator's start, is refused while a run is in progress:
 * the schedule then skips that occurrence.
 */
@ApplicationScoped
public class RetentionScheduler {

  private static final Logger LOG = Logger.getLogger(RetentionScheduler.class.getName());

  @Resource ManagedScheduledExecutorService executor;
  @Inject RetentionConfig config;
  @Inject RetentionJobs runs;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (!config.enabled()) {
      LOG.info("Retention schedule disabled (RETENTION_ENABLED=false)");
      return;
    }
    schedule = executor.schedule(this::launch, config.trigger());
    LOG.info(() -> "Retention scheduled: " + config.schedule() + ", next run " + nextRun().get());
  }

  /** When the schedule runs the purge next, if it is on. */
  public Optional<ZonedDateTime> nextRun() {
    if (!config.enabled()) {
      return Optional.empty();
    }
    CronTrigger trigger = config.trigger();
    return Optional.ofNullable(
        trigger.getNextRunTime(null, ZonedDateTime.now(trigger.getZoneId())));
  }

  void launch() {
    try {
      runs.start(RetentionJobs.SCHEDULER, false, null);
    } catch (RetentionRunException e) {
      LOG.warning("Scheduled retention run skipped: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Scheduled retention run could not start", e);
    }
  }

  @PreDestroy
  void cancel() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
