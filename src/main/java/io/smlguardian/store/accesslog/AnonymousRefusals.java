package io.smlguardian.store.accesslog;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Requests without a valid token, recorded in aggregate per source address and minute, so that a
 * flood of them costs the store one write per address and minute, not one per request:
 *
 * <ul>
 *   <li>the first of each address and minute is recorded on its own, durably before its 401 is
 *       answered, like any refusal;
 *   <li>the others of that minute are counted in memory, and recorded as one entry with their count
 *       once the minute is over (looked at every {@value #FLUSH_SECONDS} seconds), or when the
 *       server stops.
 * </ul>
 *
 * A crash loses the counts of at most the current minute, never the first request of a minute.
 * Beyond {@value #MAX_COUNTED} addresses at once, requests are recorded one by one again.
 */
@ApplicationScoped
public class AnonymousRefusals {

  private static final Logger LOG = Logger.getLogger(AnonymousRefusals.class.getName());
  static final int FLUSH_SECONDS = 5;
  static final int MAX_COUNTED = 100_000;

  /** One address in one minute: the address, and the minute's start. */
  private record Key(String address, Instant minute) {}

  private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

  @jakarta.inject.Inject
  @ConfigProperty(name = "AUDIT_ANONYMOUS_EACH_PER_MINUTE", defaultValue = "120")
  private long recordedEach;

  @Resource private ManagedScheduledExecutorService executor;
  @jakarta.inject.Inject private AuditTrail trail;

  private ScheduledFuture<?> flushing;

  protected AnonymousRefusals() {}

  /** Counting alone, without the server's executor and trail (for tests). */
  AnonymousRefusals(long recordedEach) {
    this.recordedEach = recordedEach;
  }

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    flushing =
        executor.scheduleWithFixedDelay(
            () -> flush(false), FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Counts the request; answers whether it is counted only (its address had its share of entries of
   * its own this minute), false when it must be recorded on its own.
   */
  boolean counted(String address, Instant at) {
    Key key = new Key(String.valueOf(address), at.truncatedTo(ChronoUnit.MINUTES));
    AtomicLong seen = counts.get(key);
    if (seen == null) {
      if (counts.size() >= MAX_COUNTED) {
        return false;
      }
      seen = counts.computeIfAbsent(key, k -> new AtomicLong());
    }
    return seen.incrementAndGet() > recordedEach;
  }

  /** Records the counts of the minutes that are over (all of them when the server stops). */
  private void flush(boolean all) {
    Instant current = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    for (Key key : counts.keySet()) {
      if (!all && !key.minute().isBefore(current)) {
        continue;
      }
      AtomicLong seen = counts.remove(key);
      long more = seen == null ? 0 : seen.get() - recordedEach;
      if (more > 0) {
        try {
          trail.unauthenticatedInAggregate(key.address(), key.minute(), more);
        } catch (RuntimeException e) {
          LOG.log(
              Level.SEVERE,
              "Could not record " + more + " requests without a token from " + key.address(),
              e);
        }
      }
    }
  }

  @PreDestroy
  void stop() {
    if (flushing != null) {
      flushing.cancel(false);
    }
    flush(true);
  }
}
