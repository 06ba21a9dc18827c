package io.smlguardian.store.collection;

import java.util.List;

/**
 * A request that cannot be carried out as asked: bad JSON, unknown or malformed fields, bad query.
 */
public class InvalidRequestException extends RuntimeException {

  private final List<String> errors;

  public InvalidRequestException(String message) {
    this(message, List.of());
  }

  public InvalidRequestException(String message, List<String> errors) {
    super(message);
    this.errors = List.copyOf(errors);
  }

  /** Each individual problem, e.g. one per invalid field; empty when the message says it all. */
  public List<String> errors() {
    return errors;
  }
}
