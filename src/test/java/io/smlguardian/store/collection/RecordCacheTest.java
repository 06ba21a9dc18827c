package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read cache's keeping, bounding and forgetting (its check against the database is not here).
 */
class RecordCacheTest {

  private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");

  private final AtomicLong now = new AtomicLong();
  private final RecordCache cache = new RecordCache(3, Duration.ofSeconds(5), now::get);

  private static RecordCache.Entry entry(String owner, long version) {
    return new RecordCache.Entry(
        owner,
        new RecordCache.Stamp(version, CREATED),
        "{\"userId\":\"" + owner + "\",\"v\":" + version + "}");
  }

  @Test
  void keepsByCollectionAndIdAndReplacesWithTheLatestState() {
    UUID id = UUID.randomUUID();
    cache.put("memories", id, entry("u1", 1));
    cache.put("memories", id, entry("u1", 2));

    assertThat(cache.get("memories", id)).contains(entry("u1", 2));
    assertThat(cache.get("interactions", id)).isEmpty();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void holdsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
    List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    ids.forEach(id -> cache.put("memories", id, entry("u1", 1)));
    cache.get("memories", ids.get(0)); // used: the second is now the least recently used

    UUID fourth = UUID.randomUUID();
    cache.put("memories", fourth, entry("u1", 1));

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get("memories", ids.get(1))).isEmpty();
    assertThat(cache.get("memories", ids.get(0))).isPresent();
    assertThat(cache.get("memories", ids.get(2))).isPresent();
    assertThat(cache.get("memories", fourth)).isPresent();
  }

  @Test
  void keepsAnEntryNoLongerThanItsMaximumAge() {
    UUID id = UUID.randomUUID();
    cache.put("memories", id, entry("u1", 1));

    now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
    assertThat(cache.get("memories", id)).isPresent();
    now.addAndGet(1);
    assertThat(cache.get("memories", id)).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void forgetsOneRecordOrEveryRecordOfAnOwnerOrEverything() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    cache.put("memories", a, entry("u1", 1));
    cache.put("interactions", b, entry("u1", 1));
    cache.put("memories", c, entry("u2", 1));

    cache.forget("memories", a);
    assertThat(cache.get("memories", a)).isEmpty();

    cache.put("memories", a, entry("u1", 1));
    cache.forgetOwner("u1");
    assertThat(cache.get("memories", a)).isEmpty();
    assertThat(cache.get("interactions", b)).isEmpty();
    assertThat(cache.get("memories", c)).isPresent();

    cache.clear();
    assertThat(cache.size()).isZero();
  }

  @Test
  void countsHitsMissesAndStaleCopies() {
    UUID id = UUID.randomUUID();
    cache.get("memories", id);
    cache.put("memories", id, entry("u1", 1));
    cache.get("memories", id);
    cache.served();
    assertThat(cache.figures()).isEqualTo(new RecordCache.Figures(3, 1, 1, 1, 0));
    cache.forgetStale("memories", id);
    assertThat(cache.figures()).isEqualTo(new RecordCache.Figures(3, 0, 1, 1, 1));
    assertThat(cache.get("memories", id)).isEmpty();
  }

  @Test
  void aStampTellsARecordInsertedAgainUnderItsIdFromTheOneBefore() {
    assertThat(new RecordCache.Stamp(1, CREATED))
        .isEqualTo(new RecordCache.Stamp(1, CREATED))
        .isNotEqualTo(new RecordCache.Stamp(2, CREATED))
        .isNotEqualTo(new RecordCache.Stamp(1, CREATED.plusNanos(1000)));
  }

  @Test
  void sizeZeroKeepsNothing() {
    RecordCache off = new RecordCache(0, Duration.ofSeconds(5), now::get);
    UUID id = UUID.randomUUID();
    off.put("memories", id, entry("u1", 1));

    assertThat(off.enabled()).isFalse();
    assertThat(off.get("memories", id)).isEmpty();
    assertThat(off.size()).isZero();
    assertThatThrownBy(() -> new RecordCache(-1, Duration.ofSeconds(5), now::get))
        .hasMessageContaining("PERSISTENCE_CACHE_SIZE");
  }

  @Test
  void staysWithinItsBoundUnderConcurrentUse() throws Exception {
    RecordCache shared = new RecordCache(100, Duration.ofSeconds(5), now::get);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    UUID id = new UUID(0, i % 300);
                    shared.put("memories", id, entry("u" + (i % 7), i));
                    shared.get("memories", new UUID(0, (i * 7) % 300));
                    if (i % 50 == 0) {
                      shared.forgetOwner("u3");
                    }
                  }
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(shared.size()).isBetween(1, 100);
  }
}
