package io.smlguardian.store.platform;

import io.smlguardian.store.problem.Refusal;
import io.smlguardian.store.problem.Unavailable;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Builds RFC 9457 problem details: a title per status, a detail that says what to fix. */
public final class Problem {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  /**
   * Made once: each static factory method of {@code jakarta.json.Json} looks the JSON-P provider up
   * again (a ServiceLoader scan), on every refusal's answer.
   */
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

  private Problem() {}

  /** A builder for a problem's further members, to pass to {@link #response} or {@link #write}. */
  public static JsonObjectBuilder extensions() {
    return JSON.createObjectBuilder();
  }

  /** As {@link #extensions()}, starting with the given members. */
  public static JsonObjectBuilder extensions(JsonObject members) {
    return JSON.createObjectBuilder(members);
  }

  public static Response response(Response.StatusType status, String detail) {
    return response(status, detail, List.of(), extensions());
  }

  /**
   * A refusal's answer: its status, detail and errors, and its {@code Retry-After} if it has one.
   */
  public static Response of(Refusal refusal) {
    Response answer = response(refusal.status(), refusal.detail(), refusal.errors(), extensions());
    OptionalLong retryAfter = refusal.retryAfterSeconds();
    return retryAfter.isEmpty() ? answer : retryAfter(answer, retryAfter.getAsLong());
  }

  /** An unavailability's answer: 503, its detail, and when to retry. */
  public static Response of(Unavailable unavailable) {
    return retryAfter(
        response(Response.Status.SERVICE_UNAVAILABLE, unavailable.detail()),
        unavailable.retryAfterSeconds());
  }

  private static Response retryAfter(Response answer, long seconds) {
    return Response.fromResponse(answer).header("Retry-After", String.valueOf(seconds)).build();
  }

  /**
   * A problem response.
   *
   * @param errors individual problems (e.g. one per field), shown as an {@code errors} member
   * @param extensions further members, e.g. the index of the failed operation
   */
  public static Response response(
      Response.StatusType status,
      String detail,
      List<String> errors,
      JsonObjectBuilder extensions) {
    JsonObjectBuilder body =
        extensions
            .add("type", "about:blank")
            .add("title", status.getReasonPhrase())
            .add("status", status.getStatusCode());
    if (detail != null) {
      body.add("detail", detail);
    }
    if (!errors.isEmpty()) {
      body.add("errors", JSON.createArrayBuilder(errors));
    }
    return Response.status(status.getStatusCode())
        .type(PROBLEM_JSON)
        .entity(body.build().toString())
        .build();
  }

  /**
   * Writes a problem where there is no REST runtime around the answer: the servlet container's own
   * errors and the servlet filters in front of the API.
   *
   * @param extensions further members, e.g. an incident id
   */
  public static void write(
      HttpServletResponse response, int status, String detail, JsonObjectBuilder extensions)
      throws IOException {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title =
        known != null ? known.getReasonPhrase() : status >= 500 ? "Server Error" : "Error";
    JsonObjectBuilder body =
        extensions.add("type", "about:blank").add("title", title).add("status", status);
    if (detail != null) {
      body.add("detail", detail);
    }
    response.setStatus(status);
    response.setContentType(MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(body.build().toString());
  }
}
