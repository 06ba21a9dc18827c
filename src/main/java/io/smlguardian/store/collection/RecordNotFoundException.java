package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;
import java.util.UUID;

/**
 * No record of the collection has the id, as far as the caller may know: a record of another owner
 * than the caller may reach is answered exactly like a missing one, so that no caller learns which
 * ids exist. Only the audit trail records the truth, from {@link #owner()}.
 */
public class RecordNotFoundException extends Refusal {

  private final String collection;
  private final String owner;
  private final String operation; // a String, as RefusedAccess also carries HTTP requests

  /** No record has the id. */
  public RecordNotFoundException(CollectionDescriptor<?> collection, UUID id) {
    this(collection, id, null, null);
  }

  /**
   * A record has the id, but its owner is not one the caller may reach.
   *
   * @param owner the record's owner
   * @param operation what the caller attempted (read, update, delete)
   */
  RecordNotFoundException(
      CollectionDescriptor<?> collection, UUID id, String owner, AccessOperation operation) {
    super(Status.NOT_FOUND, "No record " + id + " in " + collection.name() + ".");
    this.collection = collection.name();
    this.owner = owner;
    this.operation = operation == null ? null : operation.wireName();
  }

  public String collection() {
    return collection;
  }

  /** The owner of the record the caller may not reach; null when no record has the id. */
  public String owner() {
    return owner;
  }

  /** What the caller attempted on another owner's record; null when no record has the id. */
  public String operation() {
    return operation;
  }

  /** Another owner's record: recorded as the refusal it is, answered as a missing record. */
  @Override
  public Optional<RefusedAccess> refusedAccess() {
    return owner == null
        ? Optional.empty()
        : Optional.of(
            new RefusedAccess(
                owner,
                collection,
                operation,
                "A user may " + operation + " only their own records; answered as not found"));
  }
}
