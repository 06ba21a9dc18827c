package io.smlguardian.store.security;

import java.util.Locale;

/**
 * Checks of batch job parameters, made inside each job: anyone holding {@code batchAdmin} can start
 * any job through the server's batch REST API, with any parameters, past every check of the
 * application's endpoints. A parameter that fails is an {@link IllegalArgumentException} naming it,
 * thrown before the job changes anything; the job then ends FAILED.
 */
public final class JobParameters {

  /** As long as a record's {@code userId} may be. */
  public static final int MAX_IDENTITY_LENGTH = 128;

  private JobParameters() {}

  /**
   * A flag: {@code true} or {@code false} (any case), or the default when absent. Anything else is
   * refused rather than read as false, as {@link Boolean#parseBoolean} would read it: {@code
   * dryRun=yes} must not purge. Values are taken exactly, never trimmed: the job's other artifacts
   * read them as they are.
   */
  public static boolean flag(String name, String value, boolean defaultValue) {
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(name + "=" + shown(value) + " must be true or false");
    };
  }

  /**
   * A user id or a starter's name: 1 to {@value #MAX_IDENTITY_LENGTH} characters, none of them a
   * control character (it goes into audit entries and file contents as it is).
   */
  public static String identity(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    if (value.length() > MAX_IDENTITY_LENGTH
        || value.chars().anyMatch(Character::isISOControl)
        || !value.strip().equals(value)) {
      throw new IllegalArgumentException(
          name
              + "="
              + shown(value)
              + " is not an identity: 1 to "
              + MAX_IDENTITY_LENGTH
              + " characters, no control characters, no surrounding spaces");
    }
    return value;
  }

  /** Who started a job, or the fallback when the starter named nobody. */
  public static String starter(String name, String value, String fallback) {
    return value == null || value.isBlank() ? fallback : identity(name, value);
  }

  /** A whole number from min to max. */
  public static int number(String name, String value, int min, int max) {
    try {
      int number = Integer.parseInt(value == null ? "" : value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        name + "=" + shown(value) + " must be a whole number from " + min + " to " + max);
  }

  /** A parameter's value as a message may show it: short, and with control characters escaped. */
  public static String shown(String value) {
    if (value == null) {
      return "(none)";
    }
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    StringBuilder shown = new StringBuilder();
    cut.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return "'" + shown + "'";
  }
}
