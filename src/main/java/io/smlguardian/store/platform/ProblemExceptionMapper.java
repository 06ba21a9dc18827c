package io.smlguardian.store.platform;

import io.smlguardian.store.problem.PartFailure;
import io.smlguardian.store.problem.Refusal;
import io.smlguardian.store.problem.RefusalAudit;
import io.smlguardian.store.problem.UnavailabilityCheck;
import io.smlguardian.store.problem.Unavailable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
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
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every failure leaves the API as RFC 9457 problem+json, answered from what the failure says of
 * itself, without knowing the feature it comes from: each feature's {@link Refusal} with the status
 * and detail it carries, an {@link Unavailable} (the database, the audit trail, a full journal) as
 * 503 with its {@code Retry-After}, a {@link PartFailure} as its cause with members of its own, the
 * Jakarta runtimes' own (unknown path, wrong method or media type, a concurrent change, an invalid
 * entity) with their status, and anything unexpected as a 500 that carries an incident id to find
 * the logged stack trace; no stack trace ever reaches a caller.
 */
@Provider
@ApplicationScoped
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class.getName());

  @Inject RefusalAudit audit;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  /** The features' checks for an unavailability inside a failure (the database's). */
  Iterable<UnavailabilityCheck> checks = List.of();

  @Inject
  void checks(@Any Instance<UnavailabilityCheck> all) {
    this.checks = all;
  }

  @Override
  public Response toResponse(Throwable thrown) {
    try {
      return problemFor(thrown);
    } catch (Unavailable unrecorded) {
      // No access is answered unrecorded: a refusal that cannot be recorded is a 503, like a read.
      return unavailable(unrecorded, unrecorded);
    }
  }

  /** What is unavailable, logged as its kind asks, and answered 503 with when to retry. */
  private static Response unavailable(Unavailable unavailable, Throwable thrown) {
    Level level = unavailable.logLevel();
    if (level != null) {
      LOG.log(level, unavailable.getMessage(), thrown);
    }
    return Problem.of(unavailable);
  }

  private Optional<Unavailable> unavailability(Throwable thrown) {
    for (UnavailabilityCheck check : checks) {
      Optional<Unavailable> found = check.of(thrown);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Response problemFor(Throwable thrown) {
    Optional<Unavailable> unavailable = unavailability(thrown);
    if (unavailable.isPresent()) {
      return unavailable(unavailable.get(), thrown);
    }
    if (thrown instanceof Unavailable kind) {
      return unavailable(kind, kind);
    }
    if (thrown instanceof PartFailure failed) {
      Response cause = problemFor(failed.getCause());
      return Problem.response(
          Status.fromStatusCode(cause.getStatus()),
          failed.detail(),
          errorsOf(failed.getCause()),
          Problem.extensions(failed.members()));
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
            status, "Your roles do not allow " + operation + ".", List.of(), Problem.extensions());
      }
      Response problem = Problem.response(status, detailOf(web, status.getStatusCode()));
      String allow = web.getResponse().getHeaderString("Allow");
      return allow == null
          ? problem
          : Response.fromResponse(problem).header("Allow", allow).build();
    }
    Throwable known = knownCause(thrown);
    if (known instanceof Refusal refusal) {
      refusal
          .refusedAccess()
          .ifPresent(
              a ->
                  audit.refused(
                      security, request, a.owner(), a.collection(), a.operation(), a.reason()));
      return Problem.of(refusal);
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
      return Problem.response(Status.BAD_REQUEST, "Invalid record.", errors, Problem.extensions());
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure, incident " + incident, thrown);
    return Problem.response(
        Status.INTERNAL_SERVER_ERROR,
        "The request failed unexpectedly; nothing was changed. Incident " + incident + ".",
        List.of(),
        Problem.extensions().add("incident", incident));
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
