package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;

/**
 * A write named a version of a record that is no longer current: someone else changed it since. The
 * caller reads the record again and retries; nothing was changed.
 */
public class VersionConflictException extends Refusal {

  public VersionConflictException(CollectionDescriptor<?> collection, UUID id, String detail) {
    super(
        Status.PRECONDITION_FAILED,
        "Record " + id + " in " + collection.name() + " " + detail + ".");
  }

  @Override
  public String detail() {
    return getMessage() + " Read it again and retry with its current ETag.";
  }
}
