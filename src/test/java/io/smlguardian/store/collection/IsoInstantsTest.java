package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

  private static final long FIRST = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @Test
  void writesAndReadsEveryInstantOfFourDigitYearsAsTheJdkDoes() {
    SplittableRandom random = new SplittableRandom(20261206);
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(FIRST, LAST + 1);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(second, nanos);
      String text = instant.toString();

      assertThat(IsoInstants.format(instant)).isEqualTo(text);
      assertThat(IsoInstants.parse(text)).isEqualTo(instant);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-31T12:00:00Z",
        "2026-01-31T12:00:00.5Z",
        "2026-01-31T12:00:00.123456789Z",
        "2024-02-29T23:59:59.999999Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2026-12-31T23:59:60Z", // a leap second
        "2026-01-31T12:00:00+01:00",
        "2026-01-31T12:00:00.1+05:30",
        "+10000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "2026-01-31T12:00:00.Z", // a point without digits
        "2026-01-31T24:00:00Z", // the end of the day
        "2026-01-31t12:00:00z",
      })
  void readsWhatTheJdkReadsAlike(String text) {
    assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-01-31",
        "2026-01-31T12:00:00",
        "2026-01-31T12:00:00.1234567890Z",
        "2026-02-29T12:00:00Z",
        "2026-13-01T12:00:00Z",
        "2026-01-32T12:00:00Z",
        "2026-01-31T12:60:00Z",
        "2026-01-31T12:00:0xZ",
        "2026-01-31T12:00:00.1x3Z",
        "２026-01-31T12:00:00Z",
        "2026/01/31T12:00:00Z",
      })
  void refusesWhatTheJdkRefuses(String text) {
    List<Throwable> refusals = new java.util.ArrayList<>();
    try {
      Instant.parse(text);
    } catch (DateTimeException e) {
      refusals.add(e);
    }
    assertThat(refusals).as("the JDK refuses " + text).hasSize(1);
    assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeException.class);
  }

  @Test
  void writesInstantsBeyondFourDigitYearsAsTheJdkDoes() {
    for (Instant instant :
        List.of(Instant.MIN, Instant.MAX, Instant.ofEpochSecond(FIRST - 1, 5), Instant.EPOCH)) {
      assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
    }
  }
}
