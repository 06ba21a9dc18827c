package io.smlguardian.store.accesslog;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.MetadataOnly;
import io.smlguardian.store.security.Callers;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParsingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit trail's net under every request of the API: a request that no part of the service
 * recorded itself (a backup listed, a hold placed, an export's file fetched, a path that does not
 * exist, a body that does not parse...) is recorded here, once, before its response is sent.
 * Requests the service records with more to say (whose data, which collection: reads, writes,
 * erasures, refusals by role) are left to it, so that every request makes its entries exactly once.
 * The successes of a {@link MetadataOnly} method (the collections' schema) are no access to data
 * and are not recorded, nor are 503 answers (the database unavailable: nothing was done, and the
 * entry could not be written either).
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
@ApplicationScoped
public class AuditedRequests implements ContainerRequestFilter, ContainerResponseFilter {

  private static final Logger LOG = Logger.getLogger(AuditedRequests.class.getName());

  @Inject AuditTrail trail;
  @Context HttpServletRequest request;
  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext requested) {
    trail.beginRequest();
  }

  @Override
  public void filter(ContainerRequestContext requested, ContainerResponseContext response) {
    int status = response.getStatus();
    if (trail.endRequest(status < 400) || (status < 400 && metadataOnly())) {
      return;
    }
    if (status == 503) {
      // Answered unavailable: the database (or the audit trail in it) could not be used, so the
      // request did nothing and revealed nothing, and writing its entry would wait on the same
      // database (a pool wait) only to fail, doubling the time to answer.
      return;
    }
    try {
      trail.requested(
          Callers.of(requested.getSecurityContext(), request),
          request.getMethod() + " " + request.getRequestURI(),
          status,
          status >= 400 ? status + ": " + detail(response.getEntity()) : null);
    } catch (AuditUnavailableException e) {
      LOG.log(Level.SEVERE, "A request could not be recorded in the audit trail", e);
      response.setStatus(503);
      response.getHeaders().putSingle("Retry-After", "1");
      response.getHeaders().putSingle("Content-Type", "application/problem+json");
      response.setEntity(
          Jsonp.PROVIDER
              .createObjectBuilder()
              .add("type", "about:blank")
              .add("title", "Service Unavailable")
              .add("status", 503)
              .add(
                  "detail",
                  "The request could not be recorded in the audit trail, so it is not answered;"
                      + " retry shortly.")
              .build()
              .toString());
    }
  }

  /** Whether the request went to a method that answers metadata alone (see MetadataOnly). */
  private boolean metadataOnly() {
    java.lang.reflect.Method method = resource.getResourceMethod();
    return method != null && method.isAnnotationPresent(MetadataOnly.class);
  }

  /** A problem's detail, when the response is one. */
  private static String detail(Object entity) {
    if (entity instanceof String text && text.startsWith("{")) {
      try {
        JsonObject problem = Jsonp.PROVIDER.createReader(new StringReader(text)).readObject();
        return problem.getString("detail", problem.getString("title", ""));
      } catch (JsonParsingException | ClassCastException e) {
        return "";
      }
    }
    return entity instanceof JsonObject json ? json.getString("detail", "") : "";
  }
}
