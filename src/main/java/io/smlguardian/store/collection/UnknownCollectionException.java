package io.smlguardian.store.collection;

import java.util.Collection;

/** A request named a collection the store does not have. */
public class UnknownCollectionException extends RuntimeException {

  public UnknownCollectionException(String name, Collection<String> known) {
    super("There is no collection '" + name + "'. Collections: " + String.join(", ", known) + ".");
  }
}
