package io.smlguardian.store.collection;

import java.util.UUID;

/** No record of the collection has the id. */
public class RecordNotFoundException extends RuntimeException {

  public RecordNotFoundException(CollectionDescriptor<?> collection, UUID id) {
    super("No record " + id + " in " + collection.name() + ".");
  }
}
