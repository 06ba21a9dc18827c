package io.smlguardian.store.collection;

import io.smlguardian.store.security.AccessDeniedException;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Role;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which records of a collection a caller may read and write. A {@code service} may do anything with
 * any user's records; a {@code user} only with their own, in owned collections; an {@code auditor}
 * may only read access logs. Every other caller is refused.
 */
final class CollectionAccess {

  static final String AUDIT_COLLECTION = "access_logs";
  private static final Set<AccessOperation> READS =
      EnumSet.of(AccessOperation.READ, AccessOperation.QUERY, AccessOperation.COUNT);

  private CollectionAccess() {}

  /**
   * The owner whose records alone the caller may touch in this operation, or empty when the caller
   * may touch every record.
   *
   * @throws AccessDeniedException when the caller may not perform the operation at all
   */
  static Optional<String> ownerScope(
      Caller caller, CollectionDescriptor<?> collection, AccessOperation operation) {
    if (collection.name().equals(AUDIT_COLLECTION) && !READS.contains(operation)) {
      throw new AccessDeniedException(
          null,
          collection.name(),
          operation.wireName(),
          "The audit trail is written by the store alone: its entries cannot be inserted, changed"
              + " or deleted through the API");
    }
    if (caller.has(Role.SERVICE)) {
      return Optional.empty();
    }
    if (caller.has(Role.USER) && collection.owned()) {
      return Optional.of(caller.subject());
    }
    if (caller.has(Role.AUDITOR)
        && collection.name().equals(AUDIT_COLLECTION)
        && READS.contains(operation)) {
      return Optional.empty();
    }
    throw new AccessDeniedException(
        null,
        collection.name(),
        operation.wireName(),
        "Your roles "
            + caller.roles()
            + " do not allow "
            + operation.wireName()
            + " on "
            + collection.name());
  }

  /**
   * Refuses a new record of another owner than the scope allows: 403, as it reveals nothing that
   * exists.
   */
  static void checkNewOwner(
      Optional<String> scope,
      CollectionDescriptor<?> collection,
      StoredRecord record,
      AccessOperation operation) {
    String owner = ownerOf(record);
    if (outside(scope, owner)) {
      throw new AccessDeniedException(
          owner,
          collection.name(),
          operation.wireName(),
          "A user may " + operation.wireName() + " only their own records in " + collection.name());
    }
  }

  /**
   * Refuses the operation on a stored record of another owner than the scope allows, as if it did
   * not exist: a 403 here would tell the caller that the id exists.
   *
   * @throws RecordNotFoundException naming the real owner, for the audit trail alone
   */
  static void checkStoredOwner(
      Optional<String> scope,
      CollectionDescriptor<?> collection,
      StoredRecord record,
      AccessOperation operation) {
    if (scope.isPresent()
        && !(record instanceof OwnedRecord owned && owned.owners().contains(scope.get()))) {
      throw new RecordNotFoundException(collection, record.getId(), ownerOf(record), operation);
    }
  }

  private static String ownerOf(StoredRecord record) {
    return record instanceof OwnedRecord owned ? owned.getUserId() : null;
  }

  /** Whether a caller limited to {@code scope} (a user's own records) may not touch the owner's. */
  private static boolean outside(Optional<String> scope, String owner) {
    return scope.isPresent() && !scope.get().equals(owner);
  }
}
