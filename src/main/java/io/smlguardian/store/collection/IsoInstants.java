package io.smlguardian.store.collection;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#parse} and {@link Instant#toString} for the one shape nearly every time the
 * service reads and writes has, {@code 2026-01-31T12:00:00.123456Z} (four-digit year, UTC, zero to
 * nine fraction digits), without {@code DateTimeFormatter}'s general machinery: in a profile of the
 * ingest those two took a tenth of the server's CPU, each time of each record being parsed and
 * written two or three times on its way to the database. Any other text is handed to {@link
 * Instant#parse}, and any other instant to {@link Instant#toString}, so both give exactly what the
 * JDK gives ({@code IsoInstantsTest} compares them).
 */
public final class IsoInstants {

  private IsoInstants() {}

  /**
   * The instant of an ISO-8601 text, as {@link Instant#parse} reads it.
   *
   * @throws DateTimeException if it is not one
   */
  public static Instant parse(String text) {
    int length = text.length();
    if (length < 20
        || length == 21 // a point without digits
        || length > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(length - 1) != 'Z'
        || (length > 20 && text.charAt(19) != '.')) {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      int fraction = digits(text, 20, length - 1);
      if (fraction < 0) {
        return Instant.parse(text);
      }
      nanos = fraction * POWERS_OF_TEN[9 - (length - 21)];
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || second > 59) {
      return Instant.parse(text); // not digits, or a leap second: the JDK's own rules
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return Instant.parse(text); // refuses it as the JDK does, with its message
    }
  }

  /** The text {@link Instant#toString} gives. */
  public static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      return instant.toString();
    }
    LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(30);
    pad(text, time.getYear(), 4).append('-');
    pad(text, time.getMonthValue(), 2).append('-');
    pad(text, time.getDayOfMonth(), 2).append('T');
    pad(text, time.getHour(), 2).append(':');
    pad(text, time.getMinute(), 2).append(':');
    pad(text, time.getSecond(), 2);
    int nanos = instant.getNano();
    if (nanos > 0) {
      // as the JDK writes it: milliseconds, microseconds or nanoseconds, whichever is exact
      text.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(text, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        pad(text, nanos / 1_000, 6);
      } else {
        pad(text, nanos, 9);
      }
    }
    return text.append('Z').toString();
  }

  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: four-digit years, written without a sign. */
  private static final long FIRST_SECOND = -62135596800L;

  private static final long LAST_SECOND = 253402300799L;

  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  /** The number the ASCII digits from..to spell, or -1 if any is not one. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }
}
