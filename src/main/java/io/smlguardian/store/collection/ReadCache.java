package io.smlguardian.store.collection;

import io.smlguardian.store.security.Caller;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The read cache of reads by id ({@code PERSISTENCE_CACHE_SIZE} records, default 10,000; 0 turns it
 * off): records as reads by id found them, served again without the read's transaction, entity
 * fetch, mapping and opening of sealed fields, and never without a check. Each answer from the
 * cache is recorded in the audit trail on the condition that the record is still stored in the
 * cached state (same version, same creation time), checked in the audit entry's own transaction
 * (see {@link AccessRecorder#readIfUnchanged}). A change or deletion committed before the read, by
 * this instance or another on the same database, therefore makes the read go to the database: every
 * instance sees every other's writes at once, with no message between them.
 *
 * <p>Only reads in a transaction of their own use and fill it: a caller's transaction (an atomic
 * request) may hold uncommitted writes. A write does not fill it either: what the database gives
 * back can differ in form from what was written (PostgreSQL's jsonb orders keys and rewrites
 * numbers), and a cached answer must be what an uncached one would be; a written record enters it
 * at its first read. Entries live at most as long as the instance keeps a user's key in clear
 * ({@code KEY_CACHE_TTL}, see {@link FieldProtection#clearValueLifetime}), so an erased user's data
 * leaves every instance's memory within the time their keys do; this instance forgets them at once.
 *
 * <p>The audit trail's entries are never cached: the sealer places them in blocks (their {@code
 * seq} and {@code block}) without advancing their version, so a version check would not see it.
 */
@ApplicationScoped
public class ReadCache {

  private RecordCache cache;
  private AccessRecorder audit;
  @Resource private TransactionSynchronizationRegistry transactions;

  protected ReadCache() {}

  @Inject
  public ReadCache(
      @ConfigProperty(name = "PERSISTENCE_CACHE_SIZE", defaultValue = "10000") int size,
      FieldProtection protection,
      AccessRecorder audit) {
    this.cache = new RecordCache(size, protection.clearValueLifetime(), System::nanoTime);
    this.audit = audit;
  }

  /**
   * The record from the cache, its read recorded, when the cache holds it, the caller may read it,
   * and it is still stored as cached. Otherwise empty, with nothing recorded: the caller reads the
   * database then, and records that read (or the refusal) as usual.
   *
   * @param scope the only owner whose records the caller may read, or empty for any
   */
  Optional<RecordView> read(
      Caller caller,
      CollectionDescriptor<?> collection,
      UUID id,
      Optional<String> scope,
      List<String> projection) {
    if (!cache.enabled() || inTransaction()) {
      return Optional.empty();
    }
    Optional<RecordCache.Entry> kept = cache.get(collection.name(), id);
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    RecordCache.Entry entry = kept.get();
    if (scope.isPresent() && !scope.get().equals(entry.owner())) {
      return Optional.empty(); // refused by the database read, which records the refusal
    }
    if (!audit.readIfUnchanged(
        caller, new AccessRecorder.Copy(collection, id, entry.owner(), entry.stamp()))) {
      cache.forgetStale(collection.name(), id);
      return Optional.empty();
    }
    cache.served();
    // Cut from the kept text, not written again: the same text a read of the database would give.
    return Optional.of(
        new RecordView(id, entry.stamp().version(), RecordJson.project(entry.json(), projection)));
  }

  /**
   * Keeps a record as a read by id without projection found it, when that read had a transaction of
   * its own, now ended: what it saw was committed.
   */
  void keep(CollectionDescriptor<?> collection, StoredRecord record, String json) {
    // Not the audit trail's entries: the sealer places them in blocks without a new version.
    if (cache.enabled() && !inTransaction() && collection.category() != DataCategory.AUDIT_LOG) {
      String owner = record instanceof OwnedRecord owned ? owned.getUserId() : null;
      cache.put(
          collection.name(),
          record.getId(),
          new RecordCache.Entry(owner, RecordCache.Stamp.of(record), json));
    }
  }

  /**
   * Forgets a record this instance is changing or deleting (a copy left would only fail its check).
   */
  void forget(CollectionDescriptor<?> collection, UUID id) {
    cache.forget(collection.name(), id);
  }

  /** Forgets every record of a user at once (this instance's erasure of the user). */
  public void forgetOwner(String userId) {
    cache.forgetOwner(userId);
  }

  /** A reset removed every record. */
  void storeCleared(@Observes StoreCleared reset) {
    cache.clear();
  }

  /** Its size and capacity, its hits, misses and stale copies since the start. */
  public RecordCache.Figures figures() {
    return cache.figures();
  }

  private boolean inTransaction() {
    return transactions != null
        && transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION;
  }
}
