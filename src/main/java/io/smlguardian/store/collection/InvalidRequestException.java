package io.smlguardian.store.collection;

import io.smlguardian.store.problem.Refusal;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/**
 * A request that cannot be carried out as asked: bad JSON, unknown or malformed fields, bad query.
 */
public class InvalidRequestException extends Refusal {

  public InvalidRequestException(String message) {
    this(message, List.of());
  }

  public InvalidRequestException(String message, List<String> errors) {
    super(Status.BAD_REQUEST, message, errors);
  }
}
