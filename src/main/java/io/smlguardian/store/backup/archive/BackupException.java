package io.smlguardian.store.backup.archive;

/**
 * A backup request that cannot be carried out as asked; {@link #status()} is the HTTP status that
 * says why (the resource answers it as problem+json; a job that meets one fails with its message).
 */
public class BackupException extends RuntimeException {

  private final int status;

  private BackupException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The request itself is wrong (an archive that is not one, a bad parameter). */
  public static BackupException badRequest(String message) {
    return new BackupException(400, message);
  }

  public static BackupException notFound(String message) {
    return new BackupException(404, message);
  }

  /** The request clashes with the state: a job running, a non-empty store, a missing key. */
  public static BackupException conflict(String message) {
    return new BackupException(409, message);
  }

  /** The archive is damaged or does not fit this service; nothing was changed. */
  public static BackupException unusable(String message) {
    return new BackupException(422, message);
  }

  public int status() {
    return status;
  }
}
