package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes the audit trail: every access to user data, in the transaction of the access (see {@link
 * AccessRecorder}), and every refusal. A refusal is recorded in a transaction of its own: the
 * refused request's transaction rolls back, and its audit entry must not.
 */
@ApplicationScoped
public class AuditTrail implements AccessRecorder {

  /** The owner of entries about the store as a whole rather than one user's data. */
  public static final String STORE_OWNER = "system";

  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "write");

  private AuditChain chain;

  protected AuditTrail() {}

  @Inject
  public AuditTrail(AuditChain chain) {
    this.chain = chain;
  }

  /** Records an entry that a privacy or operations action composed itself. */
  public void record(AccessLog entry) {
    append(List.of(entry));
  }

  /** Appends entries, each to its owner's chain, owners in a fixed order (no lock cycles). */
  private void append(List<AccessLog> entries) {
    byOwner(entries).forEach(chain::append);
  }

  private static SortedMap<String, List<AccessLog>> byOwner(List<AccessLog> entries) {
    return new TreeMap<>(entries.stream().collect(Collectors.groupingBy(AccessLog::getUserId)));
  }

  @Override
  public void accessed(
      Caller caller, CollectionDescriptor<?> collection, String operation, Set<String> owners) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    boolean write = WRITES.contains(operation);
    List<AccessLog> entries =
        owners.stream()
            .map(
                owner ->
                    new AccessLog(
                        owner,
                        caller.subject(),
                        write ? "write" : "read",
                        collection.name(),
                        operation,
                        now,
                        caller.address(),
                        true,
                        null))
            .toList();
    // In the access's transaction, as its last step: a write that rolls back leaves no entry, and
    // a read holds its owners' chains only from here to its commit.
    append(entries);
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
    append(
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
   * After a reset of the store (memory, when enabled), which removed the trail with everything
   * else: the chains start anew, and the new trail's first entry says who reset the store and what
   * it removed.
   */
  void storeCleared(@Observes StoreCleared reset) {
    chain.clear();
    JsonObjectBuilder removed = Json.createObjectBuilder();
    reset.cleared().forEach(removed::add);
    append(
        List.of(
            new AccessLog(
                STORE_OWNER,
                reset.by().subject(),
                "reset",
                null,
                "reset",
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                reset.by().address(),
                true,
                removed.build().toString())));
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
    operationRun("retention", principal, operation, completed, receipt);
  }

  /**
   * Records the receipt of an operations job that concerns the store as a whole (retention, backup,
   * restore), in a transaction of its own, owned by {@link #STORE_OWNER}.
   *
   * @param accessType what kind of job: retention, backup, restore
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void operationRun(
      String accessType, String principal, String operation, boolean completed, String receipt) {
    append(
        List.of(
            new AccessLog(
                STORE_OWNER,
                principal,
                accessType,
                null,
                operation,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                null,
                completed,
                receipt)));
  }
}
