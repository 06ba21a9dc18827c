package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.AccessOperation;
import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;

/** The user's data is under legal hold: it may be neither erased nor purged. */
public class LegalHoldException extends Refusal {

  private final String userId;

  public LegalHoldException(String userId, String reason) {
    super(
        Status.CONFLICT,
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

  /** A refused erasure is recorded under the held user. */
  @Override
  public Optional<RefusedAccess> refusedAccess() {
    return Optional.of(
        new RefusedAccess(userId, null, AccessOperation.ERASE.wireName(), getMessage()));
  }
}
