package io.smlguardian.store.security;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;

/**
 * An authenticated caller asked for something its roles do not allow: another user's record, a
 * collection outside its remit, a write with a read-only role.
 */
public class AccessDeniedException extends Refusal {

  private final String owner;
  private final String collection;
  private final String operation;

  /**
   * @param owner whose data was asked for, when known (null otherwise)
   * @param collection the collection asked for
   * @param operation what was attempted (read, insert, update, delete, query, count)
   */
  public AccessDeniedException(String owner, String collection, String operation, String why) {
    super(Status.FORBIDDEN, why);
    this.owner = owner;
    this.collection = collection;
    this.operation = operation;
  }

  public String owner() {
    return owner;
  }

  public String collection() {
    return collection;
  }

  public String operation() {
    return operation;
  }

  @Override
  public String detail() {
    return getMessage() + ".";
  }

  @Override
  public Optional<RefusedAccess> refusedAccess() {
    return Optional.of(new RefusedAccess(owner, collection, operation, getMessage()));
  }
}
