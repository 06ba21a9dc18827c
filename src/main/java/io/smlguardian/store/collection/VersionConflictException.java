package io.smlguardian.store.collection;

import java.util.UUID;

/**
 * A write named a version of a record that is no longer current: someone else changed it since. The
 * caller reads the record again and retries; nothing was changed.
 */
public class VersionConflictException extends RuntimeException {

  public VersionConflictException(CollectionDescriptor<?> collection, UUID id, String detail) {
    super("Record " + id + " in " + collection.name() + " " + detail + ".");
  }
}
