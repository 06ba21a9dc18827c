package io.smlguardian.store.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a request whose query string is not valid percent-encoding ({@code ?limit=%zz}) with 400
 * problem+json, before anything reads it: the REST runtime only notices when a filter or resource
 * first asks for the URI, and then fails with an exception that would answer 500. (The servlet
 * container refuses such a path itself, before the application: see docs/security.md.)
 */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 50)
public class RequestUriValidation implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    try {
      request.getUriInfo().getRequestUri();
      request.getUriInfo().getQueryParameters();
    } catch (IllegalArgumentException malformed) {
      request.abortWith(
          Problem.response(
              Status.BAD_REQUEST,
              "The request URL is not valid percent-encoding: encode '%' as %25 and every other"
                  + " reserved character as %XX."));
    }
  }
}
