package io.smlguardian.store.backup.archive;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * A backup request that cannot be carried out as asked, with the HTTP status that says why: the API
 * answers it as problem+json; a job that meets one fails with its message.
 */
public class BackupException extends Refusal {

  private static final long serialVersionUID = 1L;

  /** 422, which has no constant in this version of Jakarta REST. */
  private static final Response.StatusType UNPROCESSABLE =
      new Response.StatusType() {
        @Override
        public int getStatusCode() {
          return 422;
        }

        @Override
        public Status.Family getFamily() {
          return Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
          return "Unprocessable Content";
        }
      };

  BackupException(Response.StatusType status, String message) {
    super(status, message);
  }

  /** The request itself is wrong (an archive that is not one, a bad parameter). */
  public static BackupException badRequest(String message) {
    return new BackupException(Status.BAD_REQUEST, message);
  }

  public static BackupException notFound(String message) {
    return new BackupException(Status.NOT_FOUND, message);
  }

  /** The request clashes with the state: a job running, a non-empty store, a missing key. */
  public static BackupException conflict(String message) {
    return new BackupException(Status.CONFLICT, message);
  }

  /** The archive is damaged or does not fit this service; nothing was changed. */
  public static BackupException unusable(String message) {
    return new BackupException(UNPROCESSABLE, message);
  }
}
