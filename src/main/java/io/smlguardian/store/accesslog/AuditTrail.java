package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.collection.AccessRecorder;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.NewRecords;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.ReservedIdentities;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the audit trail: one entry for every access, durable before the access is answered, with
 * no lock taken. Each entry carries a MAC under the audit key from the moment it is written; the
 * {@link AuditSealer} links entries into blocks later, off the request path.
 *
 * <ul>
 *   <li>A write's entries go into the write's own transaction: a write that rolls back leaves no
 *       entry (its failure is recorded as a refusal instead), and one that commits never lacks its
 *       entry.
 *   <li>A read's entries, and every refusal's, go through the {@link AuditGroupCommit}: concurrent
 *       requests share one transaction, and each waits for it to commit. A refusal is never written
 *       in the refused request's transaction, which rolls back.
 * </ul>
 */
@ApplicationScoped
public class AuditTrail implements AccessRecorder {

  /** The owner of entries about the store as a whole rather than one user's data. */
  public static final String STORE_OWNER = ReservedIdentities.SYSTEM;

  private static final Set<AccessOperation> WRITES =
      EnumSet.of(
          AccessOperation.INSERT,
          AccessOperation.INGEST,
          AccessOperation.UPDATE,
          AccessOperation.DELETE);

  /**
   * The wire names of {@link #WRITES}, and "write" itself, for a refusal, whose operation is a
   * String.
   */
  private static final Set<String> WRITE_NAMES =
      Stream.concat(WRITES.stream().map(AccessOperation::wireName), Stream.of("write"))
          .collect(Collectors.toUnmodifiableSet());

  private RecordStore store;
  private AuditKey key;
  private AuditGroupCommit groupCommit;
  private AuditDigests digests;
  @Inject private AnonymousRefusals anonymousRefusals;

  @Resource private TransactionSynchronizationRegistry transactions;

  protected AuditTrail() {}

  @Inject
  public AuditTrail(
      RecordStore store, AuditKey key, AuditGroupCommit groupCommit, AuditDigests digests) {
    this.store = store;
    this.key = key;
    this.groupCommit = groupCommit;
    this.digests = digests;
  }

  /**
   * Records an entry that a privacy or operations action composed itself: in the caller's
   * transaction when there is one (it commits or rolls back with the action), else in a shared
   * commit.
   */
  public void record(AccessLog entry) {
    record(List.of(entry));
  }

  private void record(List<AccessLog> entries) {
    entries.forEach(e -> e.seal(key));
    if (inTransaction()) {
      // Counts only if the request succeeds: a transaction that rolls back takes the entry along.
      markRecorded(IN_TRANSACTION);
      // Written as the API's records are, with no persistence context: in a profile of updates,
      // the entry's persist through EclipseLink and the flush it forced (which also wrote the
      // record) were 57% of the audit trail's samples (docs/benchmarks.md). Its MAC covers the
      // version every insert gives (1).
      store.insertFinished(AccessLogs.COLLECTION, entries);
    } else {
      markRecorded(COMMITTED);
      groupCommit.commit(entries);
    }
  }

  /** Records entries in a shared commit of their own, whatever transaction the caller is in. */
  private void recordApart(AccessLog entry) {
    markRecorded(COMMITTED);
    entry.seal(key);
    groupCommit.commit(List.of(entry));
  }

  /**
   * What the request on this thread has recorded, so that {@link AuditedRequests} records only the
   * requests nothing else did: entries committed on their own ({@link #COMMITTED}), and entries in
   * the request's own transaction ({@link #IN_TRANSACTION}), which count only when the request
   * succeeded (a failed one rolled them back).
   */
  private static final ThreadLocal<boolean[]> REQUEST_RECORDED = new ThreadLocal<>();

  private static final int COMMITTED = 0;
  private static final int IN_TRANSACTION = 1;

  /** A request of the API begins on this thread: nothing of it is recorded yet. */
  void beginRequest() {
    REQUEST_RECORDED.set(new boolean[2]);
  }

  /**
   * The request on this thread ends: answers whether it made its entries.
   *
   * @param succeeded whether it is answered with success (its transaction, if any, committed)
   */
  boolean endRequest(boolean succeeded) {
    boolean[] recorded = REQUEST_RECORDED.get();
    REQUEST_RECORDED.remove();
    return recorded != null && (recorded[COMMITTED] || (succeeded && recorded[IN_TRANSACTION]));
  }

  private static void markRecorded(int how) {
    boolean[] recorded = REQUEST_RECORDED.get();
    if (recorded != null) {
      recorded[how] = true;
    }
  }

  /**
   * Records a request of the API that nothing else recorded (see {@link AuditedRequests}): a
   * success as an access to the store's own data, a failure as a refusal of unknown whose data.
   *
   * @param operation the HTTP method and path
   * @param status the response's status
   * @param reason why it failed, or null
   */
  void requested(Caller caller, String operation, int status, String reason) {
    boolean succeeded = status < 400;
    recordApart(
        new AccessLog(
            succeeded ? STORE_OWNER : AccessLog.UNKNOWN_USER,
            caller.subject(),
            operation.matches("(POST|PUT|PATCH|DELETE) .*") ? "write" : "read",
            null,
            operation,
            now(),
            caller.address(),
            succeeded,
            reason));
  }

  private boolean inTransaction() {
    return transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
  }

  @Override
  public void accessed(
      Caller caller,
      CollectionDescriptor<?> collection,
      AccessOperation operation,
      Set<String> owners) {
    record(entries(caller, collection, operation, owners));
  }

  @Override
  public boolean readIfUnchanged(Caller caller, Copy copy) {
    if (inTransaction()) {
      return false; // the copy may predate the caller's own uncommitted writes
    }
    List<AccessLog> entries =
        entries(
            caller,
            copy.collection(),
            AccessOperation.READ,
            copy.owner() == null ? Set.of() : Set.of(copy.owner()));
    entries.forEach(e -> e.seal(key));
    boolean recorded;
    try {
      recorded = groupCommit.commitIf(entries, copy);
    } catch (RuntimeException e) {
      markRecorded(COMMITTED); // as record(): the request is not recorded again
      throw e;
    }
    if (recorded) {
      markRecorded(COMMITTED);
    }
    return recorded;
  }

  @Override
  public <E extends StoredRecord> Optional<E> readById(
      Caller caller, CollectionDescriptor<E> collection, UUID id, Optional<String> scope) {
    if (inTransaction()) {
      throw new IllegalStateException("a read by id in the shared commit within a transaction");
    }
    AuditGroupCommit.Lookup lookup =
        new AuditGroupCommit.Lookup(
            collection,
            id,
            record -> {
              Set<String> owners =
                  record instanceof OwnedRecord owned ? Set.copyOf(owned.owners()) : Set.of();
              if (scope.isPresent() && !owners.contains(scope.get())) {
                return List.of(); // refused by the caller, who records the refusal
              }
              List<AccessLog> entries = entries(caller, collection, AccessOperation.READ, owners);
              entries.forEach(e -> e.seal(key));
              return entries;
            });
    AuditGroupCommit.Outcome outcome;
    try {
      outcome = groupCommit.lookUp(lookup);
    } catch (RuntimeException e) {
      markRecorded(COMMITTED); // as record(): the request is not recorded again
      throw e;
    }
    if (outcome.committed()) {
      markRecorded(COMMITTED);
    }
    return Optional.ofNullable(outcome.found()).map(collection.entityClass()::cast);
  }

  @Override
  public <E extends StoredRecord> void insertShared(
      Caller caller, NewRecords<E> records, Set<String> owners) {
    if (inTransaction()) {
      throw new IllegalStateException("an insert in the shared commit within a transaction");
    }
    List<AccessLog> entries = entries(caller, records.collection(), AccessOperation.INSERT, owners);
    entries.forEach(e -> e.seal(key));
    try {
      groupCommit.insert(new AuditGroupCommit.Insert(records, entries));
    } catch (AuditUnavailableException e) {
      markRecorded(COMMITTED); // as record(): the request is not recorded again
      throw e;
    }
    // A failure of the insert itself is not marked: its request is recorded as a failed one, as a
    // write whose own transaction rolled back is.
    markRecorded(COMMITTED);
  }

  /**
   * The entry of one access: of its one owner, or naming its owners when it touched several users'
   * data (a bulk insert, a query across users), or of the store when it touched no user's.
   */
  private List<AccessLog> entries(
      Caller caller,
      CollectionDescriptor<?> collection,
      AccessOperation operation,
      Set<String> owners) {
    return List.of(
        new AccessLog(
            null,
            owners.isEmpty() ? Set.of(STORE_OWNER) : owners,
            caller.subject(),
            WRITES.contains(operation) ? "write" : "read",
            collection.name(),
            operation.wireName(),
            now(),
            caller.address()));
  }

  /**
   * An access whose entry is written later than it happened, by a write-behind (the ingest, which
   * keeps the access in its journal until it stores the records): its id is chosen when the access
   * happens, so that writing it again stores it once.
   *
   * @param id the entry's id
   * @param owners whose data: one entry names them all (none: the store's own)
   * @param principal who accessed
   * @param collection where
   * @param operation what was done, e.g. {@code ingest}
   * @param time when it happened
   * @param address where from
   */
  public record Deferred(
      UUID id,
      Set<String> owners,
      String principal,
      String collection,
      AccessOperation operation,
      Instant time,
      String address) {}

  /**
   * Writes deferred accesses' entries in the caller's transaction (with the writes they record),
   * each unless an entry of its id is stored already; returns how many were new.
   */
  public long recordDeferred(List<Deferred> accesses) {
    List<AccessLog> entries = entries(accesses);
    return entries.isEmpty() ? 0 : store.insertIfAbsent(AccessLogs.COLLECTION, entries);
  }

  /**
   * Writes deferred accesses' entries expected to be new ({@link RecordStore#insertNew}): where the
   * store inserts them plainly, an entry stored already fails the caller's transaction as a refused
   * row, and the caller writes them again with {@link #recordDeferred}.
   */
  public long recordDeferredNew(List<Deferred> accesses) {
    List<AccessLog> entries = entries(accesses);
    return entries.isEmpty() ? 0 : store.insertNew(AccessLogs.COLLECTION, entries);
  }

  private List<AccessLog> entries(List<Deferred> accesses) {
    List<AccessLog> entries = new ArrayList<>(accesses.size());
    for (Deferred access : accesses) {
      boolean write = WRITES.contains(access.operation());
      AccessLog entry =
          new AccessLog(
              access.id(),
              access.owners().isEmpty() ? Set.of(STORE_OWNER) : access.owners(),
              access.principal(),
              write ? "write" : "read",
              access.collection(),
              access.operation().wireName(),
              access.time().truncatedTo(ChronoUnit.MICROS),
              access.address());
      entry.asWritten(); // the version every store gives an insert, which the MAC covers
      entry.seal(key);
      entries.add(entry);
    }
    return entries;
  }

  /**
   * The request on this thread has its entries kept where they will be written from, durably (the
   * ingest's journal): it is recorded, and {@link AuditedRequests} leaves it alone.
   */
  public void recordedLater() {
    markRecorded(COMMITTED);
  }

  /**
   * Records a refused or failed access, in a shared commit of its own: the refused request's
   * transaction, if any, rolls back, and the entry must not.
   *
   * @param owner whose data was asked for, or null when not known
   * @param collection the collection asked for, or null
   * @param operation what was attempted: an operation's wire name or the HTTP method and path, so a
   *     String and not an {@link AccessOperation}
   */
  public void refused(
      Caller caller, String owner, String collection, String operation, String reason) {
    String accessType =
        WRITE_NAMES.contains(operation) || operation.matches("(POST|PUT|PATCH|DELETE) .*")
            ? "write"
            : "read";
    recordApart(
        new AccessLog(
            owner == null ? AccessLog.UNKNOWN_USER : owner,
            caller.subject(),
            accessType,
            collection,
            operation,
            now(),
            caller.address(),
            false,
            reason));
  }

  /**
   * Records a request without a valid token: on its own, durably, while its address has made few
   * this minute; else only counted, and recorded in aggregate when the minute is over (see {@link
   * AnonymousRefusals}).
   */
  public void unauthenticated(Caller caller, String operation, String reason) {
    if (anonymousRefusals.counted(caller.address(), Instant.now())) {
      markRecorded(COMMITTED); // counted, and recorded in aggregate
      return;
    }
    refused(caller, null, null, operation, reason);
  }

  /** The aggregate entry of an address's requests without a token in one minute. */
  void unauthenticatedInAggregate(String address, Instant minute, long more) {
    recordApart(
        new AccessLog(
            AccessLog.UNKNOWN_USER,
            ReservedIdentities.ANONYMOUS,
            "read",
            null,
            AccessOperation.UNAUTHENTICATED_IN_AGGREGATE.wireName(),
            minute.plus(1, ChronoUnit.MINUTES).minusNanos(1000),
            address,
            false,
            more
                + " more requests without a valid token from "
                + address
                + " in the minute from "
                + minute
                + " (beyond those recorded on their own)"));
  }

  /**
   * After a reset of the store (memory, when enabled), which removed the trail with everything
   * else: the ledger starts anew, and the new trail's first entry says who reset the store and what
   * it removed.
   */
  void storeCleared(@Observes StoreCleared reset) {
    store.deleteMatching(AuditBlock.BLOCKS, List.of());
    store.deleteMatching(AuditLedgerState.LEDGER, List.of());
    store.deleteMatching(AuditChainHead.HEADS, List.of());
    // The digests anchor the ledger's new start, or the sealer would stop at a ledger shorter
    // than the last digest.
    digests.rebase(new AuditSealer.LedgerState(0, AuditBlock.GENESIS, 0, key.id()), "reset");
    JsonObjectBuilder removed = Jsonp.PROVIDER.createObjectBuilder();
    reset.cleared().forEach(removed::add);
    record(
        new AccessLog(
            STORE_OWNER,
            reset.by().subject(),
            "reset",
            null,
            AccessOperation.RESET.wireName(),
            now(),
            reset.by().address(),
            true,
            removed.build().toString()));
  }

  /**
   * Records a retention run's receipt, apart from any transaction (a batch job's listener has none,
   * and the receipt must outlive a failed run).
   *
   * @param principal who started the run: an operator, or the scheduler
   * @param operation the job, e.g. {@code retention-purge}
   * @param completed whether the run completed
   * @param receipt what the run did, as JSON: per collection the cutoff, count and duration
   */
  public void retentionRun(String principal, String operation, boolean completed, String receipt) {
    operationRun("retention", principal, operation, completed, receipt);
  }

  /**
   * Records the receipt of an operations job that concerns the store as a whole (retention, backup,
   * restore), apart from any transaction, owned by {@link #STORE_OWNER}.
   *
   * @param accessType what kind of job: retention, backup, restore
   */
  public void operationRun(
      String accessType, String principal, String operation, boolean completed, String receipt) {
    recordApart(
        new AccessLog(
            STORE_OWNER, principal, accessType, null, operation, now(), null, completed, receipt));
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
