package io.smlguardian.store.encryption;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;

/**
 * Sealed data that cannot be opened: its key was destroyed (the user was erased), or the value was
 * altered or copied elsewhere.
 */
public class UnreadableDataException extends Refusal {

  public UnreadableDataException(String message) {
    super(Status.GONE, message);
  }

  @Override
  public String detail() {
    return "The record's sealed content can no longer be read: its owner's data key was destroyed"
        + " by an erasure.";
  }
}
