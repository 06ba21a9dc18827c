package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.Collection;

/** A request named a collection the store does not have. */
public class UnknownCollectionException extends Refusal {

  public UnknownCollectionException(String name, Collection<String> known) {
    super(
        Status.NOT_FOUND,
        "There is no collection '" + name + "'. Collections: " + String.join(", ", known) + ".");
  }
}
