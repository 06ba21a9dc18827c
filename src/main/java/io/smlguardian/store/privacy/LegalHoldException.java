package io.smlguardian.store.privacy;

/** The user's data is under legal hold: it may be neither erased nor purged. */
public class LegalHoldException extends RuntimeException {

  private final String userId;

  public LegalHoldException(String userId, String reason) {
    super(
        "User "
            + userId
            + " is under legal hold ("
            + reason
            + "): their data cannot be erased until a privacy officer releases the hold.");
    this.userId = userId;
  }

  public String userId() {
    return userId;
  }
}
