package io.smlguardian.store.transaction;

import io.smlguardian.store.problem.PartFailure;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * One operation of an atomic request failed, so none of them took effect: answered as that
 * operation's failure is, with its index ({@code operationIndex}).
 */
public class AtomicOperationException extends PartFailure {

  private static final long serialVersionUID = 1L;

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

  @Override
  public String detail() {
    return getMessage() + " Nothing was committed.";
  }

  @Override
  public JsonObject members() {
    return Json.createObjectBuilder().add("operationIndex", index).build();
  }
}
