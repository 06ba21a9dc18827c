package io.smlguardian.store.ops;

import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
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

  @Inject JobExecutions jobs;

  @GET
  @Operation(
      summary = "The most recent executions of all batch jobs, newest first",
      description =
          "Each with its job, batch status, exit status, start, end, duration and per-step"
              + " progress (the step metrics the batch runtime reports: read, write, commit"
              + " counts...). limit: 1 to 200, default 20.")
  public Recent recent(@QueryParam("limit") @DefaultValue("20") String limit) {
    int max = QueryParser.integer("limit", limit, 1, MAX_LIMIT);
    return new Recent(List.copyOf(jobs.jobNames()), jobs.recent(max, true));
  }

  /**
   * The answer: every job name the runtime knows, and the recent executions.
   *
   * @param jobs the names of the jobs
   * @param items their most recent executions, newest first
   */
  @JsonbPropertyOrder({"jobs", "items"})
  public record Recent(List<String> jobs, List<JobRun> items) {}
}
