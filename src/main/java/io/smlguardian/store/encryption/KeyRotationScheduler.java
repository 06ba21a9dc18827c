package io.smlguardian.store.encryption;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rotates the key-encryption keys by itself: at start the current KEK is read (and the first one
 * created), then, every hour (or every {@code KEY_ROTATION_INTERVAL} if shorter), a rotation starts
 * when the current KEK is older than the interval. The KEK's age lives in the shared {@code
 * KEY_DIR}, so instances that share it rotate about once per interval between them (two that check
 * at the same moment may each add one KEK: harmless, the older is superseded at once).
 */
@ApplicationScoped
public class KeyRotationScheduler {

  private static final Logger LOG = Logger.getLogger(KeyRotationScheduler.class.getName());
  private static final Duration MAX_CHECK = Duration.ofHours(1);

  @Resource ManagedScheduledExecutorService executor;
  @Inject EncryptionConfig config;
  @Inject KeyEncryptionKeys keks;
  @Inject KeyRotationJobs jobs;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    KeyEncryptionKeys.Kek current = keks.current();
    LOG.info(
        () ->
            "Keys in "
                + config.keyDirectory()
                + ": key-encryption key "
                + current.id()
                + " of "
                + current.createdAt()
                + ", master key "
                + config.masterKey().id()
                + ", rotation "
                + config.rotationInterval().map(Duration::toString).orElse("off")
                + ", superseded keys kept "
                + config.retention()
                + ", unwrapped keys cached "
                + config.cacheTtl());
    if (config.rotationInterval().isEmpty()) {
      return;
    }
    Duration interval = config.rotationInterval().get();
    long every = (interval.compareTo(MAX_CHECK) < 0 ? interval : MAX_CHECK).toMillis();
    schedule = executor.scheduleAtFixedRate(this::rotateIfDue, every, every, TimeUnit.MILLISECONDS);
  }

  void rotateIfDue() {
    try {
      Instant due = keks.current().createdAt().plus(config.rotationInterval().orElseThrow());
      if (!due.isAfter(Instant.now()) && jobs.running().isEmpty()) {
        jobs.start(KeyRotationJobs.SCHEDULER, true, null);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Scheduled key rotation could not start", e);
    }
  }

  @PreDestroy
  void cancel() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
