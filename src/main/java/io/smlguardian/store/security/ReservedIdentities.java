package io.smlguardian.store.security;

import java.util.Locale;
import java.util.Set;

/**
 * The names the store itself uses for owners and principals in its audit trail and job records.
 * They are not people: a token whose subject is one of them is refused, and no record may carry one
 * as its {@code userId}. Otherwise a user whose subject were {@code unknown} would own (and read)
 * every refused request's entry, and one named {@code scheduler} would pass for the schedule.
 */
public final class ReservedIdentities {

  /** The owner of an audit entry whose request was refused before it named whose data it wanted. */
  public static final String UNKNOWN = "unknown";

  /** The owner of audit entries about the store as a whole rather than one user's data. */
  public static final String SYSTEM = "system";

  /**
   * The owner of an audit entry about several users' data at once, which names them (an ingest
   * request's records).
   */
  public static final String SEVERAL = "several";

  /** The principal of a request without a valid token. */
  public static final String ANONYMOUS = "anonymous";

  /** The principal that starts scheduled jobs (retention runs, backups). */
  public static final String SCHEDULER = "scheduler";

  /** Every reserved name; the one list that token and record checks consult. */
  public static final Set<String> ALL = Set.of(UNKNOWN, SYSTEM, SEVERAL, ANONYMOUS, SCHEDULER);

  private ReservedIdentities() {}

  /**
   * Whether the id is reserved. Case and surrounding blanks are ignored, so that {@code " System"}
   * cannot pass for {@code system} to a person reading the audit trail.
   */
  public static boolean isReserved(String id) {
    return id != null && ALL.contains(id.strip().toLowerCase(Locale.ROOT));
  }
}
