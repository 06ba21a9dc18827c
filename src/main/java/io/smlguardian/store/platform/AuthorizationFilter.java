package io.smlguardian.store.platform;

import io.smlguardian.store.problem.RefusalAudit;
import io.smlguardian.store.problem.Unavailable;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.ReservedIdentities;
import io.smlguardian.store.security.Role;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admits a request only when its verified token carries one of the endpoint's {@link AllowedRoles}.
 * A request without a valid token gets 401 (once {@link UnauthenticatedTarpit} has held it), as
 * does one whose token names a {@link ReservedIdentities reserved identity}; one with the wrong
 * roles 403, both as problem+json and both recorded in the audit trail. The token itself is
 * verified by the server's MicroProfile JWT support before this runs; an invalid or expired one
 * leaves no principal.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHORIZATION)
public class AuthorizationFilter implements ContainerRequestFilter {

  private static final Logger LOG = Logger.getLogger(AuthorizationFilter.class.getName());

  @Inject RefusalAudit audit;

  @Context ResourceInfo resource;
  @Context HttpServletRequest request;

  @Override
  public void filter(ContainerRequestContext context) {
    AllowedRoles allowed = allowedRoles();
    String operation = context.getMethod() + " " + context.getUriInfo().getRequestUri().getPath();
    if (context.getSecurityContext().getUserPrincipal() == null) {
      refuse(
          context,
          Status.UNAUTHORIZED,
          operation,
          "A valid bearer token is required: signed by the trusted key, from the configured"
              + " issuer and audience, and not expired.");
      return;
    }
    Caller caller = Callers.of(context.getSecurityContext(), request);
    if (ReservedIdentities.isReserved(caller.subject())) {
      // A validly signed token that names one of the store's own identities is still no caller:
      // acting as "unknown" or "system" would reach every entry the store files under that name.
      refuse(
          context,
          Status.UNAUTHORIZED,
          operation,
          "The token's subject is reserved for the store's own use and names no caller.");
      return;
    }
    List<Role> roles = allowed == null ? List.of() : Arrays.asList(allowed.value());
    if (roles.stream().noneMatch(caller::has)) {
      refuse(
          context,
          Status.FORBIDDEN,
          operation,
          "Your roles " + caller.roles() + " do not allow " + operation + ".");
    }
  }

  private AllowedRoles allowedRoles() {
    AllowedRoles onMethod = resource.getResourceMethod().getAnnotation(AllowedRoles.class);
    return onMethod != null
        ? onMethod
        : resource.getResourceClass().getAnnotation(AllowedRoles.class);
  }

  private void refuse(
      ContainerRequestContext context, Status status, String operation, String detail) {
    try {
      if (context.getSecurityContext().getUserPrincipal() == null) {
        audit.unauthenticated(request, operation, detail); // in aggregate under a flood
      } else {
        audit.refused(context.getSecurityContext(), request, null, null, operation, detail);
      }
    } catch (Unavailable e) {
      // No access is answered unrecorded: not even a refusal.
      LOG.log(Level.SEVERE, "Could not record a refused access in the audit trail", e);
      context.abortWith(
          jakarta.ws.rs.core.Response.fromResponse(
                  Problem.response(
                      Status.SERVICE_UNAVAILABLE,
                      "The request could not be recorded in the audit trail; retry shortly."))
              .header("Retry-After", "1")
              .build());
      return;
    }
    context.abortWith(
        status == Status.UNAUTHORIZED
            ? jakarta.ws.rs.core.Response.fromResponse(Problem.response(status, detail))
                .header("WWW-Authenticate", "Bearer realm=\"guardian-store\"")
                .build()
            : Problem.response(status, detail));
  }
}
