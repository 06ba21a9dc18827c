package io.smlguardian.store.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Refuses, before anything reads them, a request whose query string is not valid percent-encoding
 * ({@code ?limit=%zz}) with 400 problem+json (the REST runtime only notices when a filter or
 * resource first asks for the URI, and then fails with an exception that would answer 500), a URL
 * longer than {@value #MAX_URL_CHARACTERS} characters with 414, and a header longer than {@value
 * #MAX_HEADER_CHARACTERS} with 431. No request of the API comes near those bounds; they sit well
 * below the HTTP channel's own (32 KiB per field), so that what the application sees as too long is
 * answered in problem+json rather than by the channel's empty 400. (The servlet container refuses a
 * malformed path and anything over the channel's limits itself, before the application: see
 * docs/security.md.)
 */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 50)
public class RequestUriValidation implements ContainerRequestFilter {

  static final int MAX_URL_CHARACTERS = 8192;
  static final int MAX_HEADER_CHARACTERS = 8192;

  private static final Response.StatusType HEADERS_TOO_LARGE =
      new Response.StatusType() {
        @Override
        public int getStatusCode() {
          return 431;
        }

        @Override
        public Status.Family getFamily() {
          return Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
          return "Request Header Fields Too Large";
        }
      };

  @Override
  public void filter(ContainerRequestContext request) {
    URI uri;
    try {
      uri = request.getUriInfo().getRequestUri();
      request.getUriInfo().getQueryParameters();
    } catch (IllegalArgumentException malformed) {
      request.abortWith(
          Problem.response(
              Status.BAD_REQUEST,
              "The request URL is not valid percent-encoding: encode '%' as %25 and every other"
                  + " reserved character as %XX."));
      return;
    }
    int urlLength =
        uri.getRawPath().length() + (uri.getRawQuery() == null ? 0 : uri.getRawQuery().length());
    if (urlLength > MAX_URL_CHARACTERS) {
      request.abortWith(
          Problem.response(
              Status.REQUEST_URI_TOO_LONG,
              "The request URL has "
                  + urlLength
                  + " characters; at most "
                  + MAX_URL_CHARACTERS
                  + " are accepted. Send long filters as several requests."));
      return;
    }
    for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
      for (String value : header.getValue()) {
        if (header.getKey().length() + value.length() > MAX_HEADER_CHARACTERS) {
          request.abortWith(
              Problem.response(
                  HEADERS_TOO_LARGE,
                  "The header "
                      + header.getKey()
                      + " is longer than "
                      + MAX_HEADER_CHARACTERS
                      + " characters."));
          return;
        }
      }
    }
  }
}
