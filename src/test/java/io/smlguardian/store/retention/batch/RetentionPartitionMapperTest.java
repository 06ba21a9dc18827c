package io.smlguardian.store.retention.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The partitions' order: the collections whose records fall due soonest (the latest cutoff) first,
 * so that the biggest purges do not wait behind the small ones; ties keep the registry's order.
 */
class RetentionPartitionMapperTest {

  @Test
  void theLatestCutoffGoesFirstAndTiesKeepTheirOrder() {
    Map<String, Instant> cutoffs = new LinkedHashMap<>();
    cutoffs.put("memories", Instant.parse("2024-11-26T00:00:00Z"));
    cutoffs.put("dream_cycles", Instant.parse("2024-11-26T00:00:00Z"));
    cutoffs.put("emotional_states", Instant.parse("2026-05-30T00:00:00Z"));
    cutoffs.put("interactions", Instant.parse("2026-08-28T00:00:00Z"));
    cutoffs.put("sessions", Instant.parse("2026-08-28T00:00:00Z"));
    cutoffs.put("access_logs", Instant.parse("2019-11-26T00:00:00Z"));

    List<String> order =
        RetentionPartitionMapper.latestCutoffFirst(cutoffs).stream()
            .map(Map.Entry::getKey)
            .toList();

    assertThat(order)
        .containsExactly(
            "interactions",
            "sessions",
            "emotional_states",
            "memories",
            "dream_cycles",
            "access_logs");
  }
}
