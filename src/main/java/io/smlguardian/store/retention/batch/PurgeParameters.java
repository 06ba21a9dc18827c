package io.smlguardian.store.retention.batch;

import io.smlguardian.store.retention.RetentionConfig;
import io.smlguardian.store.retention.RetentionPolicy;
import io.smlguardian.store.security.JobParameters;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The retention job's parameters as the job itself checks them before it deletes anything, whoever
 * started it: the launcher, or anyone with {@code batchAdmin} on the server's batch REST API, who
 * can pass any parameters at all. The rule that matters: <b>a cutoff is never later than its
 * collection's policy allows</b>, that is never after {@code asOf} (or now, without one) minus the
 * collection's period; {@code asOf} itself is never in the future. So no start, by anyone, purges a
 * record that its policy keeps. Absent parameters take the job XML's defaults.
 *
 * @param cutoffs the fixed cutoffs by collection (the others are computed by the mapper as of now)
 * @param startedBy who started it, as they said; {@code batch-api} when they named nobody
 */
public record PurgeParameters(
    Instant asOf,
    Map<String, Instant> cutoffs,
    boolean dryRun,
    int chunkSize,
    Integer threads,
    String startedBy) {

  /** The startedBy of a run whose starter named nobody (the batch REST API). */
  public static final String UNNAMED_STARTER = "batch-api";

  /**
   * @param parameters the job parameters as submitted
   * @param policies every collection's policy
   * @param now the time the run begins
   * @throws IllegalArgumentException naming every parameter that is wrong
   */
  public static PurgeParameters check(
      Properties parameters, List<RetentionPolicy> policies, Instant now) {
    Properties given = parameters == null ? new Properties() : parameters;
    List<String> problems = new ArrayList<>();
    Instant asOf = checked(problems, () -> asOf(given.getProperty(PurgeJob.AS_OF), now));
    Instant reference = asOf == null ? now : asOf;
    Map<String, Instant> cutoffs =
        checked(problems, () -> cutoffs(given.getProperty(PurgeJob.CUTOFFS), policies, reference));
    Boolean dryRun =
        checked(
            problems,
            () -> JobParameters.flag(PurgeJob.DRY_RUN, given.getProperty(PurgeJob.DRY_RUN), false));
    Integer chunkSize =
        checked(
            problems,
            () ->
                JobParameters.number(
                    PurgeJob.CHUNK_SIZE,
                    given.getProperty(
                        PurgeJob.CHUNK_SIZE, Integer.toString(RetentionConfig.DEFAULT_CHUNK_SIZE)),
                    1,
                    RetentionConfig.MAX_CHUNK_SIZE));
    String threadsText = given.getProperty(PurgeJob.THREADS);
    Integer threads =
        threadsText == null || threadsText.isBlank()
            ? null
            : checked(
                problems,
                () ->
                    JobParameters.number(
                        PurgeJob.THREADS, threadsText, 1, RetentionConfig.MAX_THREADS));
    String startedBy =
        checked(
            problems,
            () ->
                JobParameters.starter(
                    PurgeJob.STARTED_BY, given.getProperty(PurgeJob.STARTED_BY), UNNAMED_STARTER));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Retention run refused, nothing purged: " + String.join("; ", problems));
    }
    return new PurgeParameters(asOf, Map.copyOf(cutoffs), dryRun, chunkSize, threads, startedBy);
  }

  private static Instant asOf(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant asOf = instant(PurgeJob.AS_OF, text);
    if (asOf.isAfter(now)) {
      throw new IllegalArgumentException(
          PurgeJob.AS_OF + "=" + text + " is in the future (now is " + now + ")");
    }
    return asOf;
  }

  /**
   * {@code collection=instant,...}: each collection known and named once, each cutoff no later than
   * its policy's cutoff as of the reference time.
   */
  private static Map<String, Instant> cutoffs(
      String text, List<RetentionPolicy> policies, Instant reference) {
    Map<String, Instant> cutoffs = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return cutoffs;
    }
    List<String> problems = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      int equals = entry.indexOf('=');
      if (equals < 0) {
        problems.add("'" + entry + "' is not collection=instant");
        continue;
      }
      String collection = entry.substring(0, equals).trim();
      RetentionPolicy policy =
          policies.stream().filter(p -> p.collection().equals(collection)).findFirst().orElse(null);
      if (policy == null) {
        problems.add(JobParameters.shown(collection) + " is not a collection");
        continue;
      }
      Instant cutoff;
      try {
        cutoff = instant(collection, entry.substring(equals + 1));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        continue;
      }
      Instant latest = policy.cutoff(reference);
      if (cutoff.isAfter(latest)) {
        problems.add(
            collection
                + "="
                + cutoff
                + " is later than its policy allows ("
                + policy.period()
                + " before "
                + reference
                + ": "
                + latest
                + ")");
      } else if (cutoffs.put(collection, cutoff) != null) {
        problems.add(collection + " is named twice");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(PurgeJob.CUTOFFS + ": " + String.join(", ", problems));
    }
    return cutoffs;
  }

  private static Instant instant(String name, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + "=" + JobParameters.shown(text) + " is not an ISO-8601 instant");
    }
  }

  /** The value, or null with its problem noted. */
  private static <T> T checked(List<String> problems, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }
}
