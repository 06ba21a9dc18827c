package io.smlguardian.store.retention.batch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The retention job's name, its step and its parameters, as the job XML names them. */
public final class PurgeJob {

  public static final String NAME = "retention-purge";
  public static final String STEP = "purge";

  /** The moment the cutoffs were computed for (ISO-8601). */
  public static final String AS_OF = "asOf";

  /** Each collection's cutoff, fixed at launch so that a restart purges up to the same one. */
  public static final String CUTOFFS = "cutoffs";

  /** {@code true}: count what would be purged, delete nothing. */
  public static final String DRY_RUN = "dryRun";

  /** Records per read, delete statement and transaction. */
  public static final String CHUNK_SIZE = "chunkSize";

  /** Collections purged at the same time. */
  public static final String THREADS = "threads";

  /** Who started the run: an operator's name, or {@code scheduler}. */
  public static final String STARTED_BY = "startedBy";

  private PurgeJob() {}

  /** {@code name=instant,...}, the form of {@link #CUTOFFS}. */
  public static String formatCutoffs(Map<String, Instant> cutoffs) {
    return cutoffs.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  public static Map<String, Instant> parseCutoffs(String cutoffs) {
    Map<String, Instant> parsed = new LinkedHashMap<>();
    if (cutoffs == null || cutoffs.isBlank()) {
      return parsed;
    }
    for (String entry : cutoffs.split(",")) {
      int equals = entry.indexOf('=');
      parsed.put(entry.substring(0, equals).trim(), Instant.parse(entry.substring(equals + 1)));
    }
    return parsed;
  }
}
