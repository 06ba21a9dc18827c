package io.smlguardian.store.retention;

import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.platform.Problem;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retention for operators (and, read-only, auditors): policies, and runs of the purge job. */
@Path("retention")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Retention")
public class RetentionResource {

  @Inject RetentionService retention;
  @Inject RetentionRuns runs;
  @Inject RetentionScheduler scheduler;
  @Inject RetentionConfig config;
  @Context SecurityContext security;
  @Context HttpServletRequest request;
  @Context UriInfo uri;

  @GET
  @AllowedRoles({Role.OPERATOR, Role.AUDITOR})
  @Operation(
      summary = "The effective retention policies",
      description =
          "Per collection: the period, whether it is the default or configured, the cutoff as of"
              + " now and how many records are due; and the schedule.")
  public JsonObject policies() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonArrayBuilder policies = Json.createArrayBuilder();
    for (RetentionService.PolicyStatus status : retention.status(now)) {
      RetentionPolicy policy = status.policy();
      policies.add(
          Json.createObjectBuilder()
              .add("collection", policy.collection())
              .add("timeField", policy.timeField())
              .add("period", policy.period().toString())
              .add("source", policy.source())
              .add("variable", policy.variable())
              .add("cutoff", status.cutoff().toString())
              .add("due", status.due()));
    }
    var schedule =
        Json.createObjectBuilder()
            .add("enabled", config.enabled())
            .add("cron", config.schedule())
            .add("chunkSize", config.chunkSize());
    scheduler.nextRun().ifPresent(next -> schedule.add("nextRun", next.toString()));
    return Json.createObjectBuilder()
        .add("asOf", now.toString())
        .add("policies", policies)
        .add("schedule", schedule)
        .build();
  }

  @POST
  @Path("runs")
  @AllowedRoles(Role.OPERATOR)
  @Operation(
      summary = "Start a purge run",
      description =
          "Starts the retention-purge job; 202 with the run. dryRun=true counts without deleting."
              + " 409 while another run is in progress.")
  public Response start(
      @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
      @QueryParam("chunkSize") String chunkSizeText) {
    // Read as text: a typed parameter the runtime cannot convert would be a 404, not a 400.
    Integer chunkSize =
        chunkSizeText == null
            ? null
            : QueryParser.integer("chunkSize", chunkSizeText, 1, RetentionConfig.MAX_CHUNK_SIZE);
    return accepted(() -> runs.start(caller(), dryRun, chunkSize));
  }

  @GET
  @Path("runs")
  @AllowedRoles({Role.OPERATOR, Role.AUDITOR})
  @Operation(summary = "The most recent purge runs, newest first")
  public JsonObject list(@QueryParam("limit") @DefaultValue("20") String limit) {
    JsonArrayBuilder items = Json.createArrayBuilder();
    runs.runs(QueryParser.integer("limit", limit, 1, 200)).forEach(run -> items.add(run.toJson()));
    return Json.createObjectBuilder().add("items", items).build();
  }

  @GET
  @Path("runs/{executionId}")
  @AllowedRoles({Role.OPERATOR, Role.AUDITOR})
  @Operation(summary = "One purge run: status, per-collection counts, start and end")
  public Response get(@PathParam("executionId") long executionId) {
    return answer(() -> Response.ok(runs.run(executionId).toJson()).build());
  }

  @POST
  @Path("runs/{executionId}/stop")
  @AllowedRoles(Role.OPERATOR)
  @Operation(
      summary = "Stop a purge run",
      description = "It stops after its current chunks; restart it to finish. 409 if not running.")
  public Response stop(@PathParam("executionId") long executionId) {
    return answer(
        () -> {
          runs.stop(executionId);
          return Response.accepted(runs.run(executionId).toJson()).build();
        });
  }

  @POST
  @Path("runs/{executionId}/restart")
  @AllowedRoles(Role.OPERATOR)
  @Operation(
      summary = "Restart a stopped or failed purge run",
      description =
          "Resumes after the last committed chunk with the same cutoffs, as a new run; 202 with"
              + " it. 409 while another run is in progress or when the run completed.")
  public Response restart(@PathParam("executionId") long executionId) {
    return accepted(() -> runs.restart(executionId, caller()));
  }

  private Response accepted(Supplier<Long> launch) {
    return answer(
        () -> {
          long executionId = launch.get();
          return Response.accepted(runs.run(executionId).toJson())
              .location(
                  uri.getBaseUriBuilder()
                      .path("retention/runs/{id}")
                      .build(Long.toString(executionId)))
              .build();
        });
  }

  private static Response answer(Supplier<Response> action) {
    try {
      return action.get();
    } catch (RetentionRunException e) {
      return Problem.response(e.conflict() ? Status.CONFLICT : Status.NOT_FOUND, e.getMessage());
    }
  }

  private String caller() {
    return Callers.of(security, request).subject();
  }
}
