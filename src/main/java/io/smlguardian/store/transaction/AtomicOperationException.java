package io.smlguardian.store.transaction;

/** One operation of an atomic request failed, so none of them took effect. */
public class AtomicOperationException extends RuntimeException {

  private final int index;

  public AtomicOperationException(int index, AtomicOperation operation, RuntimeException cause) {
    super(
        "Operation " + index + " (" + operation.describe() + ") failed: " + cause.getMessage(),
        cause);
    this.index = index;
  }

  /** The failed operation's position in the request, from 0. */
  public int index() {
    return index;
  }
}
