package io.smlguardian.store.problem;

import jakarta.json.JsonObject;

/**
 * One part of a request failed, so the request did: answered with the status and errors its cause
 * is answered with, and with a detail and further problem members of its own that say which part
 * (e.g. the index of an atomic request's failed operation).
 */
public abstract class PartFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected PartFailure(String message, RuntimeException cause) {
    super(message, cause);
  }

  /** What the answer tells the caller: by default the message. */
  public String detail() {
    return getMessage();
  }

  /** The problem members that say which part failed. */
  public abstract JsonObject members();
}
