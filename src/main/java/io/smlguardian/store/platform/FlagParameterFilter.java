package io.smlguardian.store.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses, with a 400 that names the parameter, a boolean query parameter that is neither {@code
 * true} nor {@code false} (any case). The REST runtime reads a typed {@code boolean} with {@link
 * Boolean#valueOf}, so {@code dryRun=ture} would be a quiet {@code false}: a purge that was meant
 * to count would delete. Every resource method's {@code boolean} and {@code Boolean} query
 * parameters are checked here, so that a new flag needs no check of its own.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER)
public class FlagParameterFilter implements ContainerRequestFilter {

  @Context ResourceInfo resource;

  /** The names of each resource method's flags, read from its signature once. */
  private final Map<Method, List<String>> flagsOf = new ConcurrentHashMap<>();

  @Override
  public void filter(ContainerRequestContext context) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return;
    }
    List<String> errors = new ArrayList<>();
    for (String flag : flagsOf.computeIfAbsent(method, FlagParameterFilter::flags)) {
      List<String> values = context.getUriInfo().getQueryParameters().get(flag);
      for (String value : values == null ? List.<String>of() : values) {
        if (!isFlag(value)) {
          errors.add(flag + ": must be true or false, got '" + value + "'");
        }
      }
    }
    if (!errors.isEmpty()) {
      context.abortWith(
          Problem.response(
              Status.BAD_REQUEST,
              "A flag must be true or false: " + String.join("; ", errors) + ".",
              errors,
              Problem.extensions()));
    }
  }

  /** The method's boolean query parameters. */
  static List<String> flags(Method method) {
    List<String> flags = new ArrayList<>();
    for (Parameter parameter : method.getParameters()) {
      QueryParam query = parameter.getAnnotation(QueryParam.class);
      if (query != null
          && (parameter.getType() == boolean.class || parameter.getType() == Boolean.class)) {
        flags.add(query.value());
      }
    }
    return List.copyOf(flags);
  }

  static boolean isFlag(String value) {
    String flag = value.toLowerCase(Locale.ROOT);
    return flag.equals("true") || flag.equals("false");
  }
}
