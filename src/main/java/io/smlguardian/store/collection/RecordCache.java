package io.smlguardian.store.collection;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Records recently written or read, by collection and id, as the API shows them (every field,
 * sealed ones opened): a read by id of one of them skips the entity fetch, the mapping and the
 * opening of sealed fields. Bounded: at most {@code capacity} entries, the least recently used
 * dropped first; each kept for at most {@code maxAge} (the time an instance may keep opened values
 * of a user whom another instance may have erased, see {@link FieldProtection#clearValueLifetime}).
 *
 * <p>An entry is never served on its own word: the caller checks its {@link Stamp} against the
 * database first (see {@link RecordService#find}), so a change made by another request or another
 * instance, or a deletion, is seen at once. This class only keeps, bounds and forgets; it is safe
 * for concurrent use.
 */
public class RecordCache {

  /**
   * What tells one stored state of a record from every other: its version, which every change
   * advances, and its creation time, which tells a record deleted and inserted again under the same
   * id (at version 1 again) from the one before.
   */
  public record Stamp(long version, Instant createdAt) {

    public static Stamp of(StoredRecord record) {
      return new Stamp(record.getVersion(), record.getCreatedAt());
    }
  }

  /**
   * A cached record: its owner (null in unowned collections), stamp and full view (every field, the
   * text {@link RecordMapper#view} wrote).
   */
  public record Entry(String owner, Stamp stamp, String json) {}

  private record Key(String collection, UUID id) {}

  private record Kept(Entry entry, long expiresAt) {}

  private final int capacity;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final Map<Key, Kept> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stale = new LongAdder();

  /**
   * @param capacity the most entries kept; 0 keeps none (the cache is off)
   * @param maxAge how long an entry may be kept at most
   * @param nanoClock {@link System#nanoTime}, or a test's clock
   */
  public RecordCache(int capacity, Duration maxAge, LongSupplier nanoClock) {
    if (capacity < 0) {
      throw new IllegalArgumentException("PERSISTENCE_CACHE_SIZE must be 0 or more");
    }
    this.capacity = capacity;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoClock = nanoClock;
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
            return size() > RecordCache.this.capacity;
          }
        };
  }

  /** Whether it keeps anything at all. */
  public boolean enabled() {
    return capacity > 0;
  }

  /** The entry for the record, unless none is kept or it has outlived its age. */
  public Optional<Entry> get(String collection, UUID id) {
    if (!enabled()) {
      return Optional.empty();
    }
    Key key = new Key(collection, id);
    synchronized (entries) {
      Kept kept = entries.get(key);
      if (kept != null && nanoClock.getAsLong() - kept.expiresAt() < 0) {
        return Optional.of(kept.entry());
      }
      if (kept != null) {
        entries.remove(key);
      }
    }
    misses.increment();
    return Optional.empty();
  }

  /** Keeps the record's state as a caller just read or wrote it, in place of what was kept. */
  public void put(String collection, UUID id, Entry entry) {
    if (!enabled()) {
      return;
    }
    Kept kept = new Kept(entry, nanoClock.getAsLong() + maxAgeNanos);
    synchronized (entries) {
      entries.put(new Key(collection, id), kept);
    }
  }

  /** A kept entry matched the database: it was served. */
  public void served() {
    hits.increment();
  }

  /** Forgets the record: it changed, was deleted, or its kept state no longer matches. */
  public void forget(String collection, UUID id) {
    synchronized (entries) {
      entries.remove(new Key(collection, id));
    }
  }

  /** Forgets a kept entry found not to match the database any more. */
  public void forgetStale(String collection, UUID id) {
    stale.increment();
    forget(collection, id);
  }

  /** Forgets every record of the owner, in every collection (an erasure). */
  public void forgetOwner(String owner) {
    synchronized (entries) {
      entries.values().removeIf(kept -> owner.equals(kept.entry().owner()));
    }
  }

  /** Forgets everything (a restore or a reset replaced what the database holds). */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  /** How many entries are kept now. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /**
   * Its figures since the start: the most entries it keeps and how many it keeps now; reads served
   * from it (hits), reads that found nothing kept (misses), and kept entries that no longer matched
   * the database when a read checked them (stale: read from the database instead).
   */
  @JsonbPropertyOrder({"capacity", "size", "hits", "misses", "stale"})
  public record Figures(int capacity, int size, long hits, long misses, long stale) {}

  public Figures figures() {
    return new Figures(capacity, size(), hits.sum(), misses.sum(), stale.sum());
  }
}
