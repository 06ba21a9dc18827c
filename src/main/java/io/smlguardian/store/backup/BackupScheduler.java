package io.smlguardian.store.backup;

import io.smlguardian.store.backup.archive.BackupException;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
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
 * Takes backups by itself when {@code BACKUP_ENABLED=true}, at {@code BACKUP_FREQUENCY}, on the
 * server's managed scheduled executor. Like an operator's start, a scheduled one is refused while a
 * backup or restore runs: the schedule then skips that occurrence.
 */
@ApplicationScoped
public class BackupScheduler {

  private static final Logger LOG = Logger.getLogger(BackupScheduler.class.getName());

  @Resource ManagedScheduledExecutorService executor;
  @Inject BackupConfig config;
  @Inject BackupJobs jobs;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    if (!config.scheduled()) {
      LOG.info("Backup schedule off (BACKUP_ENABLED=false or BACKUP_FREQUENCY=off)");
      return;
    }
    schedule = executor.schedule(this::launch, config.trigger());
    LOG.info(() -> "Backups scheduled " + config.frequency() + ", next " + nextRun().orElse(null));
  }

  /** When the schedule takes the next backup, if it is on. */
  public Optional<ZonedDateTime> nextRun() {
    if (!config.scheduled()) {
      return Optional.empty();
    }
    var trigger = config.trigger();
    return Optional.ofNullable(
        trigger.getNextRunTime(null, ZonedDateTime.now(trigger.getZoneId())));
  }

  void launch() {
    try {
      jobs.startBackup(BackupJobs.SCHEDULER);
    } catch (BackupException e) {
      LOG.warning("Scheduled backup skipped: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Scheduled backup could not start", e);
    }
  }

  @PreDestroy
  void cancel() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
