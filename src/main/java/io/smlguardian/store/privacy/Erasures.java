package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.BulkStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.DataCategory;
import io.smlguardian.store.collection.OwnedRecord;
import io.smlguardian.store.collection.ReadCache;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.collection.StoreCleared;
import io.smlguardian.store.collection.query.Filter;
import io.smlguardian.store.collection.query.FilterOperator;
import io.smlguardian.store.collection.query.RecordQuery;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.Period;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.StampedLock;

/**
 * The record of every erasure, in the database ({@link #ERASURES}): written in the erasure's own
 * transaction, so an erasure that committed is recorded and one that rolled back is not; carried by
 * every backup, and merged by every restore, which leaves out the records of a user erased after
 * they were written (see the backups' RestoreService).
 *
 * <p>An erasure and a restore's switch never overlap: the switch re-reads this record and drops the
 * staged records of users erased meanwhile, so an erasure must either have committed before it
 * reads or start its deletes after it committed. On this instance an erasure holds a shared lock
 * from its first statement to its transaction's end, and the switch the exclusive one; across
 * instances on PostgreSQL the same holds through the table's lock ({@link
 * BulkStore#lockCollection}).
 */
@ApplicationScoped
public class Erasures {

  /** Not subject to retention: an erasure outlives every copy of what it erased. */
  public static final CollectionDescriptor<Erasure> ERASURES =
      new CollectionDescriptor<>(
          "erasures",
          Erasure.class,
          DataCategory.SYSTEM_CONFIG,
          Period.ZERO,
          "erasedAt",
          List.of());

  private final StampedLock switching = new StampedLock();

  private RecordStore store;
  private BulkStore bulk;
  @Inject private ReadCache readCache;

  @Resource private TransactionSynchronizationRegistry transactions;

  protected Erasures() {}

  @Inject
  public Erasures(RecordStore store, BulkStore bulk) {
    this.store = store;
    this.bulk = bulk;
  }

  /**
   * At the start of an erasure's transaction, before its first statement: waits for a restore's
   * switch in progress, and keeps the next one waiting until this transaction has ended.
   */
  void begin() {
    long stamp = switching.readLock();
    try {
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              switching.unlockRead(stamp);
            }
          });
    } catch (RuntimeException e) {
      switching.unlockRead(stamp);
      throw e;
    }
    bulk.lockCollection(ERASURES, false);
  }

  /** Records the erasure of the receipt, in the erasure's transaction. */
  void record(ErasureReceipt receipt) {
    store.insert(
        ERASURES,
        List.of(
            new Erasure(receipt.id(), receipt.userId(), receipt.erasedAt(), receipt.erasedBy())));
  }

  /**
   * Runs a restore's switch with no erasure in progress on this instance, and none beginning until
   * it returns.
   */
  public <T> T excludingErasures(Callable<T> work) throws Exception {
    long stamp = switching.writeLockInterruptibly();
    try {
      return work.call();
    } finally {
      switching.unlockWrite(stamp);
    }
  }

  /**
   * The latest erasure of every erased user, as committed now. Read as a snapshot, outside any
   * transaction.
   */
  public Map<String, Instant> latest() {
    Map<String, Instant> latest = new HashMap<>();
    try (RecordSnapshot snapshot = bulk.openSnapshot()) {
      snapshot.read(
          ERASURES,
          erasure ->
              latest.merge(
                  erasure.getUserId(), erasure.erasedAt(), (a, b) -> a.isAfter(b) ? a : b));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return latest;
  }

  /**
   * The latest erasure of each of these users who was ever erased, read in the caller's
   * transaction: what a write-behind compares with when it journaled a user's records, so that none
   * journaled before the user's erasure is stored after it. A caller that must not miss an erasure
   * committing meanwhile takes the users' locks first ({@link RecordStore#lockUser}), as the
   * erasure does.
   */
  public Map<String, Instant> latestOf(Collection<String> users) {
    if (users.isEmpty()) {
      return new HashMap<>();
    }
    return latestMatching(
        new Filter(OwnedRecord.OWNER_FIELD, FilterOperator.IN, false, List.copyOf(users)));
  }

  /**
   * The latest erasure of each user erased at or after {@code since}, read in the caller's
   * transaction: what a write-behind compares with when it journaled records no older than {@code
   * since}, so that none journaled before its owner's erasure is stored after it. It answers for
   * those records what {@link #latestOf} answers for their owners (an erasure before {@code since}
   * is before every one of them), from the erasures' index on time rather than on their users: one
   * condition, usually matching nothing, where a batch's owners would be hundreds. A caller that
   * must not miss an erasure committing meanwhile takes the users' locks first, as for {@link
   * #latestOf}.
   */
  public Map<String, Instant> latestSince(Instant since) {
    return latestMatching(new Filter("erasedAt", FilterOperator.GTE, false, List.of(since)));
  }

  /** The latest erasure of each user among the erasures matching the filter. */
  private Map<String, Instant> latestMatching(Filter filter) {
    Map<String, Instant> latest = new HashMap<>();
    for (Erasure erasure :
        store.find(
            ERASURES,
            new RecordQuery(List.of(filter), List.of(), MAX_ERASURES_READ, 0, List.of()))) {
      latest.merge(erasure.getUserId(), erasure.erasedAt(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return latest;
  }

  /**
   * More erasures than a batch's users could have, or than are made while a batch waits in the
   * journal: one read answers for them all.
   */
  private static final int MAX_ERASURES_READ = 100_000;

  /**
   * Adds erasures known from elsewhere (the erasure ledger file of older versions) that the record
   * lacks, by receipt id; answers how many were added.
   */
  @Transactional
  public int importMissing(List<Known> known) {
    int added = 0;
    for (Known erasure : known) {
      if (store.findById(ERASURES, erasure.receiptId()).isEmpty()) {
        store.insert(
            ERASURES,
            List.of(
                new Erasure(
                    erasure.receiptId(), erasure.userId(), erasure.erasedAt(), erasure.source())));
        added++;
      }
    }
    return added;
  }

  /** An erasure as another record of it gives it, and which record that is. */
  public record Known(UUID receiptId, String userId, Instant erasedAt, String source) {}

  /**
   * A reset of the store (memory, when enabled) forgets its erasures with its records: nothing
   * erased is left to keep out.
   */
  void storeCleared(@Observes StoreCleared reset) {
    store.deleteMatching(ERASURES, List.of());
  }

  /**
   * Once an erasure has committed, this instance's read cache holds nothing of the user. (Every
   * instance's cache would refuse to serve the user's records anyway: each answer from it is
   * checked against the database, where they are gone. This only drops the copies from memory.)
   */
  void erased(@Observes(during = TransactionPhase.AFTER_SUCCESS) ErasureReceipt receipt) {
    readCache.forgetOwner(receipt.userId());
  }
}
