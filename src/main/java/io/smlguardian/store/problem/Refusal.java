package io.smlguardian.store.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request refused for what it asked, not for a failure of the service: a bad value, a missing
 * record, a stale version, a legal hold. Each feature's refusal extends this class and says its
 * status and message; the API answers it as problem+json with that status ({@code
 * ProblemExceptionMapper}), and records it in the audit trail as the refusal it is.
 *
 * <p>A refusal is an expected outcome: it rolls back the transaction it ends, like any exception,
 * but it is never logged as a failure of the server (see {@code RefusalCarrier}).
 */
public abstract class Refusal extends RuntimeException {

  private final transient Response.StatusType status;
  private final List<String> errors;

  protected Refusal(Response.StatusType status, String message) {
    this(status, message, List.of());
  }

  protected Refusal(Response.StatusType status, String message, List<String> errors) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  /** The HTTP status the refusal is answered with. */
  public Response.StatusType status() {
    return status;
  }

  /** What the answer tells the caller: by default the message. */
  public String detail() {
    return getMessage();
  }

  /** Each individual problem, e.g. one per invalid field; empty when the detail says it all. */
  public List<String> errors() {
    return errors;
  }

  /**
   * After how many seconds the same request may be served, for a refusal of the moment (a write
   * during maintenance): the answer's {@code Retry-After}. Empty by default.
   */
  public OptionalLong retryAfterSeconds() {
    return OptionalLong.empty();
  }

  /**
   * The access this refusal denied, when the refusal knows whose data it concerned better than the
   * request's URL does: recorded under that owner in the audit trail. Empty by default.
   */
  public Optional<RefusedAccess> refusedAccess() {
    return Optional.empty();
  }

  /** Whether the throwable is a refusal, or wraps one: an expected outcome, not a failure. */
  public static boolean isRefusal(Throwable thrown) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < 16; t = t.getCause()) {
      if (t instanceof Refusal) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whose data a refused access concerned, and why it was refused.
   *
   * @param owner the user whose data it was, when known
   * @param collection the collection, when the access named one
   * @param operation what was asked (read, update, erase...)
   * @param reason why it was refused, as the audit entry says it
   */
  public record RefusedAccess(String owner, String collection, String operation, String reason) {}
}
