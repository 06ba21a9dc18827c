package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;

/**
 * A record given to {@link RecordStore#insertNew} is stored already (the same id): nothing of that
 * insert stays, and its caller writes the records again with {@link RecordStore#insertIfAbsent}. An
 * expected outcome of a replay (the write-behind ingest's lane written before a crash, an id a
 * client sent twice), so a refusal: it leaves its transaction without an incident in the server's
 * logs. Its cause is the database's own failure, a refused row (see {@code
 * DatabaseFailures.isRowRefusal}).
 */
public class AlreadyStoredException extends Refusal {

  public AlreadyStoredException(CollectionDescriptor<?> collection, Throwable cause) {
    super(Status.CONFLICT, "A record given as new to " + collection.name() + " is stored already.");
    initCause(cause);
  }
}
