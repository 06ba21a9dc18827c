package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Writes the audit trail. A refusal is recorded in a transaction of its own: the refused request's
 * transaction rolls back, and its audit entry must not.
 */
@ApplicationScoped
public class AuditTrail {

  /** The owner of entries about the store as a whole rather than one user's data. */
  public static final String STORE_OWNER = "system";

  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "write");

  private RecordStore store;

  protected AuditTrail() {}

  @Inject
  public AuditTrail(RecordStore store) {
    this.store = store;
  }

  /**
   * Records a refused access.
   *
   * @param owner whose data was asked for, or null when not known
   * @param collection the collection asked for, or null
   * @param operation what was attempted: an operation name or the HTTP method and path
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void refused(
      Caller caller, String owner, String collection, String operation, String reason) {
    String accessType =
        WRITES.contains(operation) || operation.matches("(POST|PUT|PATCH|DELETE) .*")
            ? "write"
            : "read";
    store.insert(
        AccessLogs.COLLECTION,
        List.of(
            new AccessLog(
                owner == null ? AccessLog.UNKNOWN_USER : owner,
                caller.subject(),
                accessType,
                collection,
                operation,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                caller.address(),
                false,
                reason)));
  }

  /**
   * Records a retention run's receipt, in a transaction of its own (a batch job's listener has
   * none, and the receipt must outlive a failed run).
   *
   * @param principal who started the run: an operator, or the scheduler
   * @param operation the job, e.g. {@code retention-purge}
   * @param completed whether the run completed
   * @param receipt what the run did, as JSON: per collection the cutoff, count and duration
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void retentionRun(String principal, String operation, boolean completed, String receipt) {
    store.insert(
        AccessLogs.COLLECTION,
        List.of(
            new AccessLog(
                STORE_OWNER,
                principal,
                "retention",
                null,
                operation,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                completed,
                receipt)));
  }
}
