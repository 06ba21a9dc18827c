package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;

/**
 * A request of several writes that must take effect all or none, on a backend that cannot promise
 * that (see {@link RecordStore#supportsAtomicWrites()}). Nothing was written.
 */
public class AtomicWritesUnsupportedException extends Refusal {

  public AtomicWritesUnsupportedException(String backend, String request) {
    super(
        Status.NOT_IMPLEMENTED,
        backend
            + ": "
            + request
            + " must take effect all or nothing, and this backend cannot promise that: atomic"
            + " multi-operation writes need transactions across records (on MongoDB, a replica set"
            + " with transactions, which this store does not use yet). Nothing was written; send"
            + " the writes one at a time.");
  }
}
