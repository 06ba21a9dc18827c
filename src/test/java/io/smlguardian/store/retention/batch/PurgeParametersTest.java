package io.smlguardian.store.retention.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.retention.RetentionPolicy;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PurgeParametersTest {

  private static final Instant NOW = Instant.parse("2026-12-05T07:00:00Z");
  private static final List<RetentionPolicy> POLICIES =
      List.of(
          new RetentionPolicy("sessions", "startedAt", Period.ofDays(30), true, "RS"),
          new RetentionPolicy("memories", "createdAt", Period.ofYears(1), false, "RM"));

  private static Properties parameters(String... pairs) {
    Properties parameters = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      parameters.setProperty(pairs[i], pairs[i + 1]);
    }
    return parameters;
  }

  private static PurgeParameters check(String... pairs) {
    return PurgeParameters.check(parameters(pairs), POLICIES, NOW);
  }

  @Test
  void theLaunchersParametersPass() {
    Instant asOf = NOW.minusSeconds(1);
    PurgeParameters checked =
        check(
            "asOf", asOf.toString(),
            "cutoffs", "sessions=2026-11-05T06:59:59Z,memories=2025-12-05T06:59:59Z",
            "dryRun", "false",
            "chunkSize", "50000",
            "threads", "2",
            "startedBy", "alice");

    assertThat(checked.asOf()).isEqualTo(asOf);
    assertThat(checked.cutoffs())
        .isEqualTo(
            Map.of(
                "sessions", Instant.parse("2026-11-05T06:59:59Z"),
                "memories", Instant.parse("2025-12-05T06:59:59Z")));
    assertThat(checked.dryRun()).isFalse();
    assertThat(checked.chunkSize()).isEqualTo(50_000);
    assertThat(checked.threads()).isEqualTo(2);
    assertThat(checked.startedBy()).isEqualTo("alice");
  }

  @Test
  void nothingGivenTakesTheJobsDefaults() {
    PurgeParameters checked = PurgeParameters.check(new Properties(), POLICIES, NOW);

    assertThat(checked.asOf()).isNull();
    assertThat(checked.cutoffs()).isEmpty();
    assertThat(checked.dryRun()).isFalse();
    assertThat(checked.chunkSize()).isEqualTo(50_000);
    assertThat(checked.threads()).isNull();
    assertThat(checked.startedBy()).isEqualTo(PurgeParameters.UNNAMED_STARTER);
  }

  @Test
  void aCutoffExactlyAtThePolicyPassesOneSecondLaterIsRefused() {
    assertThat(check("cutoffs", "sessions=2026-11-05T07:00:00Z").cutoffs())
        .containsEntry("sessions", Instant.parse("2026-11-05T07:00:00Z"));

    assertThatThrownBy(() -> check("cutoffs", "sessions=2026-11-05T07:00:01Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing purged")
        .hasMessageContaining("sessions=2026-11-05T07:00:01Z is later than its policy allows");
  }

  @Test
  void aFutureCutoffIsRefused() {
    assertThatThrownBy(() -> check("cutoffs", "memories=2027-01-01T00:00:00Z"))
        .hasMessageContaining("memories=2027-01-01T00:00:00Z is later than its policy allows");
  }

  @Test
  void theCutoffsAreCheckedAgainstAsOfWhenGiven() {
    // As of a month ago, the sessions' cutoff was two months ago: one later is refused, although it
    // would pass as of now.
    assertThatThrownBy(
            () ->
                check(
                    "asOf", "2026-11-05T07:00:00Z",
                    "cutoffs", "sessions=2026-11-01T00:00:00Z"))
        .hasMessageContaining("is later than its policy allows");
  }

  @Test
  void anAsOfInTheFutureIsRefused() {
    assertThatThrownBy(() -> check("asOf", "2030-01-01T00:00:00Z"))
        .hasMessageContaining("asOf=2030-01-01T00:00:00Z is in the future");
  }

  @Test
  void unknownRepeatedOrMalformedCutoffsAreRefused() {
    assertThatThrownBy(() -> check("cutoffs", "users=2020-01-01T00:00:00Z"))
        .hasMessageContaining("'users' is not a collection");
    assertThatThrownBy(
            () -> check("cutoffs", "sessions=2020-01-01T00:00:00Z,sessions=2020-01-02T00:00:00Z"))
        .hasMessageContaining("sessions is named twice");
    assertThatThrownBy(() -> check("cutoffs", "sessions"))
        .hasMessageContaining("'sessions' is not collection=instant");
    assertThatThrownBy(() -> check("cutoffs", "sessions=yesterday"))
        .hasMessageContaining("sessions='yesterday' is not an ISO-8601 instant");
    assertThatThrownBy(() -> check("cutoffs", "sessions= 2020-01-01T00:00:00Z"))
        .hasMessageContaining("is not an ISO-8601 instant");
  }

  @Test
  void flagsAndNumbersAreTakenExactlyOrRefused() {
    assertThat(check("dryRun", "TRUE").dryRun()).isTrue();
    assertThatThrownBy(() -> check("dryRun", "yes")).hasMessageContaining("dryRun='yes'");
    assertThatThrownBy(() -> check("dryRun", " true")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> check("chunkSize", "0")).hasMessageContaining("from 1 to 100000");
    assertThatThrownBy(() -> check("chunkSize", "100001")).hasMessageContaining("chunkSize");
    assertThatThrownBy(() -> check("threads", "9")).hasMessageContaining("threads='9'");
    assertThatThrownBy(() -> check("threads", "two")).hasMessageContaining("threads='two'");
  }

  @Test
  void aStarterWithControlCharactersIsRefusedAndEveryProblemIsNamed() {
    assertThatThrownBy(
            () ->
                check(
                    "startedBy", "eve\u0000",
                    "dryRun", "maybe",
                    "cutoffs", "sessions=2099-01-01T00:00:00Z"))
        .hasMessageContaining("startedBy='eve\\u0000' is not an identity")
        .hasMessageContaining("dryRun='maybe'")
        .hasMessageContaining("sessions=2099-01-01T00:00:00Z is later");
  }
}
