package io.smlguardian.store.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses, with a 400 that names each parameter, path and query parameters (decoded) that hold a
 * NUL character (U+0000), on every endpoint: PostgreSQL rejects NUL in text with an error of its
 * own, SQLite keeps it, so such a value would be a 500 on one backend and a stored value on
 * another. Request bodies are checked where they are parsed (JsonBodies). Runs after the
 * authorization filter, so that a caller without a token still gets its 401 first.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER)
public class ParameterTextFilter implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext context) {
    List<String> errors = new ArrayList<>();
    refuseNul("path parameter", context.getUriInfo().getPathParameters(), errors);
    refuseNul("query parameter", context.getUriInfo().getQueryParameters(), errors);
    if (!errors.isEmpty()) {
      context.abortWith(
          Problem.response(
              Status.BAD_REQUEST,
              "No text may contain a NUL character (U+0000): " + String.join("; ", errors) + ".",
              errors,
              Problem.extensions()));
    }
  }

  private static void refuseNul(
      String kind, MultivaluedMap<String, String> parameters, List<String> errors) {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (hasNul(name) || parameter.getValue().stream().anyMatch(ParameterTextFilter::hasNul)) {
        errors.add(kind + " " + name.replace("\0", "\\u0000") + ": contains a NUL character");
      }
    }
  }

  private static boolean hasNul(String text) {
    return text != null && text.indexOf('\0') >= 0;
  }
}
