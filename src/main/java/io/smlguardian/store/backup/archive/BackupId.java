package io.smlguardian.store.backup.archive;

import jakarta.ws.rs.core.Response.Status;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * A backup's id, e.g. {@code gs-20261126T061500Z-k3j4h5g6}: when it was taken (UTC, to the second)
 * and eight random characters. The id is also the archive's file name (plus {@code .zip}), so it is
 * checked against this strict pattern before it comes anywhere near a file: an id from a request
 * that does not match is refused, and no path can be smuggled through one.
 *
 * @param value the id
 * @param created when the backup was taken, as the id says
 */
public record BackupId(String value, Instant created) implements Comparable<BackupId> {

  private static final Pattern PATTERN = Pattern.compile("gs-(\\d{8}T\\d{6}Z)-([a-z0-9]{8})");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new id for a backup taken at that time. */
  public static BackupId at(Instant created) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    Instant second = created.truncatedTo(ChronoUnit.SECONDS);
    return new BackupId("gs-" + TIME.format(second) + "-" + suffix, second);
  }

  /**
   * The id in that text.
   *
   * @throws InvalidBackupIdException when it does not match the pattern exactly
   */
  public static BackupId parse(String text) {
    if (text == null || !PATTERN.matcher(text).matches()) {
      throw new InvalidBackupIdException(text);
    }
    try {
      return new BackupId(text, Instant.from(TIME.parse(text.substring(3, 19))));
    } catch (DateTimeParseException e) {
      throw new InvalidBackupIdException(text);
    }
  }

  /** Whether a file name is an archive's: {@code <id>.zip}. */
  public static boolean isArchiveName(String fileName) {
    return fileName.endsWith(".zip")
        && PATTERN.matcher(fileName.substring(0, fileName.length() - 4)).matches();
  }

  /** The archive's file name. */
  public String fileName() {
    return value + ".zip";
  }

  /** Oldest first (the time, then the random part). */
  @Override
  public int compareTo(BackupId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }

  /** A request named a backup by something that is not a backup id. */
  public static class InvalidBackupIdException extends BackupException {

    private static final long serialVersionUID = 1L;

    public InvalidBackupIdException(String text) {
      super(
          Status.BAD_REQUEST,
          "'"
              + (text == null ? "" : text.length() > 80 ? text.substring(0, 80) + "..." : text)
              + "' is not a backup id: ids look like gs-20261126T061500Z-k3j4h5g6.");
    }
  }
}
