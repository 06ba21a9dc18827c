package io.smlguardian.store.retention;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.CollectionRegistry;
import io.smlguardian.store.platform.Settings;
import jakarta.enterprise.concurrent.CronTrigger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * Retention's configuration, read once and validated at start-up: a bad value stops the application
 * with a message that names the variable, rather than purging by a silent default.
 *
 * <ul>
 *   <li>{@code RETENTION_<COLLECTION>} (e.g. {@code RETENTION_INTERACTIONS=P30D}): an ISO-8601
 *       period overriding the collection's default; positive.
 *   <li>{@code RETENTION_ENABLED} ({@code true}): whether the schedule runs the purge.
 *   <li>{@code RETENTION_SCHEDULE} ({@code 0 3 * * *}, daily at 03:00 server time): a cron
 *       expression as Jakarta Concurrency's {@link CronTrigger} reads it.
 *   <li>{@code RETENTION_CHUNK_SIZE} ({@code 50000}): records per chunk (its bounded delete and one
 *       transaction).
 *   <li>{@code RETENTION_THREADS} ({@code 2}): collections purged at the same time.
 * </ul>
 */
@ApplicationScoped
public class RetentionConfig {

  static final String PREFIX = "RETENTION_";
  static final String ENABLED = "RETENTION_ENABLED";
  static final String SCHEDULE = "RETENTION_SCHEDULE";
  static final String CHUNK_SIZE = "RETENTION_CHUNK_SIZE";
  static final String THREADS = "RETENTION_THREADS";

  /** The most records per chunk, also for a run started through the batch REST API. */
  public static final int MAX_CHUNK_SIZE = 100_000;

  /** The most collections purged at the same time. */
  public static final int MAX_THREADS = 8;

  /**
   * Chunks of 50,000 keep every statement far under the 1 s bound (about 50 ms on PostgreSQL in the
   * retention benchmark) while the per-chunk costs (the key read, the commit, the batch runtime's
   * checkpoint) stay small beside the deletes: at 10,000 they cost a third of the rate.
   */
  public static final int DEFAULT_CHUNK_SIZE = 50_000;

  private static final Logger LOG = Logger.getLogger(RetentionConfig.class.getName());

  private List<RetentionPolicy> policies;
  private boolean enabled;
  private String schedule;
  private ZoneId zone;
  private int chunkSize;
  private int threads;

  protected RetentionConfig() {}

  @Inject
  public RetentionConfig(CollectionRegistry collections, Config config) {
    this(
        collections.all(),
        name -> config.getOptionalValue(name, String.class),
        config.getPropertyNames(),
        ZoneId.systemDefault());
  }

  /**
   * @param setting the value of a configuration variable, if set
   * @param names every configuration name, to warn of a {@code RETENTION_} variable that no
   *     collection has (a likely typo)
   */
  RetentionConfig(
      List<? extends CollectionDescriptor<?>> collections,
      Function<String, Optional<String>> setting,
      Iterable<String> names,
      ZoneId zone) {
    List<String> problems = new ArrayList<>();
    this.policies = policies(collections, setting, problems);
    this.enabled = Settings.flag(setting, ENABLED, true, problems);
    this.schedule = setting.apply(SCHEDULE).map(String::trim).orElse("0 3 * * *");
    this.zone = zone;
    try {
      new CronTrigger(schedule, zone);
    } catch (RuntimeException e) {
      problems.add(
          SCHEDULE
              + "="
              + schedule
              + " is not a cron expression ([second] minute hour day-of-month month day-of-week, e.g."
              + " \"0 3 * * *\"): "
              + e.getMessage());
    }
    this.chunkSize = number(setting, CHUNK_SIZE, DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE, problems);
    this.threads = number(setting, THREADS, 2, MAX_THREADS, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRetentionConfigException(problems);
    }
    warnOfUnknown(collections, names);
  }

  /**
   * Makes the container build (and so validate) this configuration while the application starts.
   */
  void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    LOG.info(
        () ->
            "Retention policies: "
                + policies.stream()
                    .map(p -> p.collection() + "=" + p.period() + " (" + p.source() + ")")
                    .collect(Collectors.joining(", "))
                + (enabled ? "; scheduled " + schedule + " " + zone : "; schedule disabled"));
  }

  /** The effective policy of every collection, in the registry's order. */
  public List<RetentionPolicy> policies() {
    return policies;
  }

  public RetentionPolicy policy(String collection) {
    return policies.stream()
        .filter(p -> p.collection().equals(collection))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no retention policy for " + collection));
  }

  public boolean enabled() {
    return enabled;
  }

  public String schedule() {
    return schedule;
  }

  public CronTrigger trigger() {
    return new CronTrigger(schedule, zone);
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int threads() {
    return threads;
  }

  /** The configuration variable that overrides a collection's period. */
  static String variable(String collection) {
    return PREFIX + collection.toUpperCase(Locale.ROOT);
  }

  private static List<RetentionPolicy> policies(
      List<? extends CollectionDescriptor<?>> collections,
      Function<String, Optional<String>> setting,
      List<String> problems) {
    List<RetentionPolicy> policies = new ArrayList<>();
    for (CollectionDescriptor<?> collection : collections) {
      String variable = variable(collection.name());
      Optional<String> value = setting.apply(variable).map(String::trim);
      Period period = collection.defaultRetention();
      if (value.isPresent()) {
        try {
          period = Period.parse(value.get());
        } catch (DateTimeException e) {
          problems.add(
              variable
                  + "="
                  + value.get()
                  + " is not an ISO-8601 period (e.g. P90D, P6M, P2Y, P1Y6M)");
          continue;
        }
        if (period.isNegative() || period.isZero()) {
          problems.add(variable + "=" + value.get() + " must be a positive period");
          continue;
        }
      }
      policies.add(
          new RetentionPolicy(
              collection.name(), collection.timeField(), period, value.isPresent(), variable));
    }
    return List.copyOf(policies);
  }

  private static int number(
      Function<String, Optional<String>> setting,
      String name,
      int defaultValue,
      int max,
      List<String> problems) {
    Optional<String> value = setting.apply(name).map(String::trim);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int number = Integer.parseInt(value.get());
      if (number >= 1 && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + "=" + value.get() + " must be a whole number from 1 to " + max);
    return defaultValue;
  }

  private static void warnOfUnknown(
      List<? extends CollectionDescriptor<?>> collections, Iterable<String> names) {
    Map<String, Boolean> known =
        collections.stream()
            .collect(Collectors.toMap(c -> variable(c.name()), c -> true, (a, b) -> a));
    List.of(ENABLED, SCHEDULE, CHUNK_SIZE, THREADS).forEach(n -> known.put(n, true));
    for (String name : names) {
      if (name.startsWith(PREFIX) && !known.containsKey(name)) {
        LOG.warning(
            () ->
                name
                    + " is set but names no collection; retention variables are "
                    + String.join(", ", known.keySet()));
      }
    }
  }
}
