package io.smlguardian.store.platform;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds RFC 9457 problem details: a title per status, a detail that says what to fix. */
public final class Problem {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  private Problem() {}

  public static Response response(Response.StatusType status, String detail) {
    return response(status, detail, List.of(), Json.createObjectBuilder());
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
      body.add("errors", Json.createArrayBuilder(errors));
    }
    return Response.status(status.getStatusCode())
        .type(PROBLEM_JSON)
        .entity(body.build().toString())
        .build();
  }
}
