package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
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
 * Writes the audit trail: every access to user data, in the transaction of the access (see {@link
 * AccessRecorder}), and every refusal. A refusal is recorded in a transaction of its own: the
 * refused request's transaction rolls back, and its audit entry must not.
 */
@ApplicationScoped
public class AuditTrail implements AccessRecorder {

  private static final Set<String> WRITES = Set.of("insert", "update", "delete", "write");

  private RecordStore store;

  protected AuditTrail() {}

  @Inject
  public AuditTrail(RecordStore store) {
    this.store = store;
  }

  @Override
  public void accessed(
      Caller caller, CollectionDescriptor<?> collection, String operation, Set<String> owners) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String accessType = WRITES.contains(operation) ? "write" : "read";
    store.insert(
        AccessLogs.COLLECTION,
        owners.stream()
            .map(
                owner ->
                    new AccessLog(
                        owner,
                        caller.subject(),
                        accessType,
                        collection.name(),
                        operation,
                        now,
                        caller.address(),
                        true,
                        null))
            .toList());
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
}
