package io.smlguardian.store.ops;

import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Recent executions of every batch job, for operators. */
@Path("jobs")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class JobsResource {

  static final int MAX_LIMIT = 200;

  @Inject BatchJobs jobs;

  @GET
  @Operation(
      summary = "The most recent executions of all batch jobs, newest first",
      description =
          "Each with its job, batch status, exit status, start, end, duration and per-step"
              + " progress (the step metrics the batch runtime reports: read, write, commit"
              + " counts...). limit: 1 to 200, default 20.")
  public Response recent(@QueryParam("limit") @DefaultValue("20") String limit) {
    int max = QueryParser.integer("limit", limit, 1, MAX_LIMIT);
    JsonArrayBuilder items = Json.createArrayBuilder();
    jobs.recent(max, true).forEach(run -> items.add(run.toJson()));
    return Response.ok(
            Json.createObjectBuilder()
                .add("jobs", Json.createArrayBuilder(jobs.jobNames()))
                .add("items", items)
                .build())
        .build();
  }
}
