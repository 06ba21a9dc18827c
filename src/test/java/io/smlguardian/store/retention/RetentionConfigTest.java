package io.smlguardian.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AccessLogs;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.dreamcycle.DreamCycles;
import io.smlguardian.store.emotionalstate.EmotionalStates;
import io.smlguardian.store.interaction.Interactions;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.metric.Metrics;
import io.smlguardian.store.profilesnapshot.ProfileSnapshots;
import io.smlguardian.store.session.Sessions;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionConfigTest {

  private static final List<CollectionDescriptor<?>> ALL =
      List.of(
          AccessLogs.COLLECTION,
          DreamCycles.COLLECTION,
          EmotionalStates.COLLECTION,
          Interactions.COLLECTION,
          Memories.COLLECTION,
          Metrics.COLLECTION,
          ProfileSnapshots.COLLECTION,
          Sessions.COLLECTION);

  private static RetentionConfig config(Map<String, String> settings) {
    return new RetentionConfig(
        ALL, name -> Optional.ofNullable(settings.get(name)), settings.keySet(), ZoneOffset.UTC);
  }

  @Test
  void withoutConfigurationEveryCollectionKeepsTheSeedsPeriod() {
    RetentionConfig config = config(Map.of());

    assertThat(config.policies()).hasSize(8);
    for (CollectionDescriptor<?> collection : ALL) {
      RetentionPolicy policy = config.policy(collection.name());
      assertThat(policy.period()).isEqualTo(collection.defaultRetention());
      assertThat(policy.source()).isEqualTo("default");
      assertThat(policy.timeField()).isEqualTo(collection.timeField());
    }
    assertThat(config.policy("interactions").period()).isEqualTo(Period.ofDays(90));
    assertThat(config.policy("access_logs").period()).isEqualTo(Period.ofYears(7));
    assertThat(config.enabled()).isTrue();
    assertThat(config.schedule()).isEqualTo("0 3 * * *");
    assertThat(config.chunkSize()).isEqualTo(50_000);
    assertThat(config.threads()).isEqualTo(2);
  }

  @Test
  void aVariablePerCollectionOverridesItsPeriod() {
    RetentionConfig config =
        config(Map.of("RETENTION_INTERACTIONS", "P30D", "RETENTION_PROFILE_SNAPSHOTS", " P1Y6M "));

    assertThat(config.policy("interactions").period()).isEqualTo(Period.ofDays(30));
    assertThat(config.policy("interactions").source()).isEqualTo("configured");
    assertThat(config.policy("interactions").variable()).isEqualTo("RETENTION_INTERACTIONS");
    assertThat(config.policy("profile_snapshots").period()).isEqualTo(Period.of(1, 6, 0));
    assertThat(config.policy("sessions").source()).isEqualTo("default");
  }

  @Test
  void anUnparsablePeriodFailsNamingTheVariable() {
    assertThatThrownBy(() -> config(Map.of("RETENTION_SESSIONS", "30 days")))
        .isInstanceOf(InvalidRetentionConfigException.class)
        .hasMessageContaining("RETENTION_SESSIONS=30 days")
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void aNegativeOrZeroPeriodFailsNamingTheVariable() {
    assertThatThrownBy(() -> config(Map.of("RETENTION_METRICS", "-P1D")))
        .isInstanceOf(InvalidRetentionConfigException.class)
        .hasMessageContaining("RETENTION_METRICS=-P1D must be a positive period");
    assertThatThrownBy(() -> config(Map.of("RETENTION_METRICS", "P1Y-400D")))
        .hasMessageContaining("RETENTION_METRICS");
    assertThatThrownBy(() -> config(Map.of("RETENTION_MEMORIES", "P0D")))
        .hasMessageContaining("RETENTION_MEMORIES=P0D must be a positive period");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                config(
                    Map.of(
                        "RETENTION_MEMORIES", "forever",
                        "RETENTION_ENABLED", "yes",
                        "RETENTION_SCHEDULE", "at three",
                        "RETENTION_CHUNK_SIZE", "0",
                        "RETENTION_THREADS", "many")))
        .isInstanceOfSatisfying(
            InvalidRetentionConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(5)
                    .anyMatch(p -> p.startsWith("RETENTION_MEMORIES=forever"))
                    .anyMatch(p -> p.startsWith("RETENTION_ENABLED=yes"))
                    .anyMatch(p -> p.startsWith("RETENTION_SCHEDULE=at three"))
                    .anyMatch(p -> p.startsWith("RETENTION_CHUNK_SIZE=0"))
                    .anyMatch(p -> p.startsWith("RETENTION_THREADS=many")));
  }

  @Test
  void theScheduleIsACronExpressionAndCanBeSwitchedOff() {
    RetentionConfig config =
        config(Map.of("RETENTION_SCHEDULE", "30 2 * * 0", "RETENTION_ENABLED", "false"));

    assertThat(config.enabled()).isFalse();
    var next =
        config
            .trigger()
            .getNextRunTime(null, Instant.parse("2026-11-26T10:00:00Z").atZone(ZoneOffset.UTC));
    assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-11-29T02:30:00Z")); // a Sunday
  }

  @Test
  void theDefaultScheduleIsDailyAtThree() {
    var next =
        config(Map.of())
            .trigger()
            .getNextRunTime(null, Instant.parse("2026-11-26T04:00:00Z").atZone(ZoneId.of("UTC")));

    assertThat(next.toInstant()).isEqualTo(Instant.parse("2026-11-27T03:00:00Z"));
  }

  @Test
  void theCutoffIsThePeriodBeforeTheMoment() {
    RetentionPolicy policy =
        new RetentionPolicy("memories", "timestamp", Period.ofYears(2), false, "RETENTION_X");

    assertThat(policy.cutoff(Instant.parse("2026-11-26T04:00:00Z")))
        .isEqualTo(Instant.parse("2024-11-26T04:00:00Z"));
  }
}
