package io.smlguardian.store.platform;

import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.accesslog.AuditUnavailableException;
import io.smlguardian.store.problem.Refusal;
import io.smlguardian.store.resilience.DatabaseFailures;
import io.smlguardian.store.resilience.DatabaseGuard;
import io.smlguardian.store.resilience.DatabaseUnavailableException;
import io.smlguardian.store.resilience.Maintenance;
import io.smlguardian.store.resilience.MaintenanceException;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.sync.JournalFullException;
import io.smlguardian.store.transaction.AtomicOperationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.OptimisticLockException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Every failure leaves the API as RFC 9457 problem+json: each feature's {@link Refusal} with the
 * status and detail it carries, the REST runtime's own (unknown path, wrong method or media type)
 * with their status, and anything unexpected as a 500 that carries an incident id to find the
 * logged stack trace; no stack trace ever reaches a caller.
 */
@Provider
@ApplicationScoped
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class.getName());

  @Inject AuditTrail audit;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @Override
  public Response toResponse(Throwable thrown) {
    try {
      return problemFor(thrown);
    } catch (AuditUnavailableException unrecorded) {
      return unrecorded(unrecorded);
    }
  }

  /** No access is answered unrecorded: a refusal that cannot be recorded is a 503, like a read. */
  private static Response unrecorded(AuditUnavailableException e) {
    LOG.log(Level.SEVERE, "An access could not be recorded in the audit trail", e);
    return Response.fromResponse(
            Problem.response(
                Status.SERVICE_UNAVAILABLE,
                "The access could not be recorded in the audit trail, so it was not carried out"
                    + " or answered; retry shortly."))
        .header("Retry-After", "1")
        .build();
  }

  /**
   * The database unavailable, or its circuit breaker open (see DatabaseGuard): a 503 at once, with
   * {@code Retry-After} the breaker's delay, whatever the request was; never a 500.
   */
  private static Response unavailable(Throwable thrown) {
    boolean open = causedBy(thrown, CircuitBreakerOpenException.class);
    boolean unknownOutcome =
        !open
            && causedBy(thrown, DatabaseUnavailableException.class)
            && !causedBy(thrown, DatabaseUnavailableException.RolledBack.class);
    LOG.log(
        open ? Level.FINE : Level.WARNING,
        "The database is unavailable" + (open ? " (circuit open)" : ""),
        thrown);
    long retryAfter = DatabaseGuard.retryAfterSeconds();
    return Response.fromResponse(
            Problem.response(
                Status.SERVICE_UNAVAILABLE,
                "The database is unavailable"
                    + (open ? " (calls to it are paused after repeated failures)" : "")
                    + (unknownOutcome
                        ? "; whether the change took effect is unknown: read before retrying."
                        : "; nothing was changed.")
                    + " Retry after "
                    + retryAfter
                    + " s."))
        .header("Retry-After", String.valueOf(retryAfter))
        .build();
  }

  /** A write refused during maintenance (a restore's switch): 503, retry after the window. */
  static Response maintenance(MaintenanceException refused) {
    return Response.fromResponse(Problem.response(Status.SERVICE_UNAVAILABLE, refused.getMessage()))
        .header("Retry-After", String.valueOf(Maintenance.RETRY_AFTER_SECONDS))
        .build();
  }

  private static boolean causedBy(Throwable thrown, Class<? extends Throwable> kind) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < 64; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private Response problemFor(Throwable thrown) {
    if (causedBy(thrown, CircuitBreakerOpenException.class)
        || DatabaseFailures.isTransient(thrown)) {
      return unavailable(thrown);
    }
    if (thrown instanceof AuditUnavailableException unrecorded) {
      return unrecorded(unrecorded);
    }
    if (thrown instanceof JournalFullException full) {
      return Response.fromResponse(Problem.response(Status.SERVICE_UNAVAILABLE, full.getMessage()))
          .header("Retry-After", String.valueOf(full.retryAfterSeconds()))
          .build();
    }
    if (thrown instanceof AtomicOperationException failed) {
      JsonObjectBuilder extensions =
          Json.createObjectBuilder().add("operationIndex", failed.index());
      Response cause = problemFor(failed.getCause());
      return Problem.response(
          Status.fromStatusCode(cause.getStatus()),
          failed.getMessage() + " Nothing was committed.",
          errorsOf(failed.getCause()),
          extensions);
    }
    Throwable tooLarge = knownCause(thrown);
    if (tooLarge instanceof RequestSizeLimit.PayloadTooLargeException large) {
      return Problem.response(Status.REQUEST_ENTITY_TOO_LARGE, large.getMessage());
    }
    if (thrown instanceof WebApplicationException web) {
      Response.StatusType status = web.getResponse().getStatusInfo();
      if (status.getStatusCode() == 403) {
        // @RolesAllowed refused the caller's roles for this endpoint.
        String operation = request.getMethod() + " " + request.getRequestURI();
        return Problem.response(
            status,
            "Your roles do not allow " + operation + ".",
            List.of(),
            Json.createObjectBuilder());
      }
      Response problem = Problem.response(status, detailOf(web, status.getStatusCode()));
      String allow = web.getResponse().getHeaderString("Allow");
      return allow == null
          ? problem
          : Response.fromResponse(problem).header("Allow", allow).build();
    }
    Throwable known = knownCause(thrown);
    if (known instanceof MaintenanceException refused) {
      return maintenance(refused);
    }
    if (known instanceof Refusal refusal) {
      refusal
          .refusedAccess()
          .ifPresent(a -> audited(a.owner(), a.collection(), a.operation(), a.reason()));
      return Problem.response(
          refusal.status(), refusal.detail(), refusal.errors(), Json.createObjectBuilder());
    }
    if (known instanceof OptimisticLockException) {
      return Problem.response(
          Status.PRECONDITION_FAILED, "The record was changed concurrently; read it and retry.");
    }
    if (known instanceof ConstraintViolationException violations) {
      List<String> errors =
          violations.getConstraintViolations().stream()
              .map(v -> v.getPropertyPath() + ": " + v.getMessage())
              .sorted()
              .toList();
      return Problem.response(
          Status.BAD_REQUEST, "Invalid record.", errors, Json.createObjectBuilder());
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure, incident " + incident, thrown);
    return Problem.response(
        Status.INTERNAL_SERVER_ERROR,
        "The request failed unexpectedly; nothing was changed. Incident " + incident + ".",
        List.of(),
        Json.createObjectBuilder().add("incident", incident));
  }

  /**
   * Records a refusal whose owner or collection is known here in the audit trail, before it is
   * answered. Every other failure is recorded, with its detail, by the audit trail's net under
   * every request ({@code AuditedRequests}).
   *
   * @throws AuditUnavailableException when it cannot be recorded (answered as 503)
   */
  private void audited(String owner, String collection, String operation, String reason) {
    audit.refused(Callers.of(security, request), owner, collection, operation, reason);
  }

  /**
   * The REST runtime's own refusals (no such path, method or media type) carry its internal message
   * ids and implementation details: they are answered in the caller's terms instead. The
   * application's own exceptions say what to fix and are kept.
   */
  private String detailOf(WebApplicationException web, int status) {
    String message = web.getMessage();
    if (message == null || !message.startsWith("RESTEASY")) {
      return message;
    }
    String path = request.getRequestURI();
    return switch (status) {
      case 404 -> "Nothing is served at " + path + ".";
      case 405 ->
          request.getMethod()
              + " is not allowed on "
              + path
              + "; the Allow header lists the methods that are.";
      case 406 -> "None of the media types in the Accept header can be produced by " + path + ".";
      case 415 ->
          "The content type "
              + request.getContentType()
              + " is not accepted by "
              + path
              + " (see the OpenAPI document).";
      default -> "The request was refused.";
    };
  }

  private static List<String> errorsOf(Throwable cause) {
    return cause instanceof Refusal refusal ? refusal.errors() : List.of();
  }

  /**
   * The store's own exception inside container wrappers (transaction and persistence exceptions
   * wrap what a commit or flush ran into), or the thrown one itself.
   */
  private static Throwable knownCause(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof Refusal
          || t instanceof RequestSizeLimit.PayloadTooLargeException
          || t instanceof OptimisticLockException
          || t instanceof ConstraintViolationException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return thrown;
  }
}
