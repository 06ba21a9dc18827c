package io.smlguardian.store.retention;

import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
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
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retention for operators (and, read-only, auditors): policies, and runs of the purge job. */
@Path("retention")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Retention")
public class RetentionResource {

  @Inject RetentionService retention;
  @Inject RetentionJobs runs;
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
  public Policies policies() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<Policy> policies = new ArrayList<>();
    for (RetentionService.PolicyStatus status : retention.status(now)) {
      RetentionPolicy policy = status.policy();
      policies.add(
          new Policy(
              policy.collection(),
              policy.timeField(),
              policy.period().toString(),
              policy.source(),
              policy.variable(),
              status.cutoff(),
              status.due()));
    }
    Schedule schedule =
        new Schedule(
            config.enabled(),
            config.schedule(),
            config.chunkSize(),
            scheduler.nextRun().map(Object::toString).orElse(null));
    return new Policies(now, policies, schedule);
  }

  /** The effective policies as of a time, and the schedule. */
  @JsonbPropertyOrder({"asOf", "policies", "schedule"})
  public record Policies(Instant asOf, List<Policy> policies, Schedule schedule) {}

  /**
   * One collection's effective policy.
   *
   * @param source whether the period is the default or configured
   * @param variable the configuration variable that sets it
   * @param cutoff records strictly before it are due
   * @param due how many records are due
   */
  @JsonbPropertyOrder({"collection", "timeField", "period", "source", "variable", "cutoff", "due"})
  public record Policy(
      String collection,
      String timeField,
      String period,
      String source,
      String variable,
      Instant cutoff,
      long due) {}

  /**
   * The purge's schedule.
   *
   * @param nextRun when it runs next, as the zoned time the scheduler computes; left out when off
   */
  @JsonbPropertyOrder({"enabled", "cron", "chunkSize", "nextRun"})
  public record Schedule(boolean enabled, String cron, int chunkSize, String nextRun) {}

  /** A page of runs, newest first. */
  public record Runs(List<RetentionRun> items) {}

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
    return accepted(runs.start(caller(), dryRun, chunkSize));
  }

  @GET
  @Path("runs")
  @AllowedRoles({Role.OPERATOR, Role.AUDITOR})
  @Operation(summary = "The most recent purge runs, newest first")
  public Runs list(@QueryParam("limit") @DefaultValue("20") String limit) {
    return new Runs(runs.runs(QueryParser.integer("limit", limit, 1, 200)));
  }

  @GET
  @Path("runs/{executionId}")
  @AllowedRoles({Role.OPERATOR, Role.AUDITOR})
  @Operation(summary = "One purge run: status, per-collection counts, start and end")
  public Response get(@PathParam("executionId") long executionId) {
    return Response.ok(runs.run(executionId)).build();
  }

  @POST
  @Path("runs/{executionId}/stop")
  @AllowedRoles(Role.OPERATOR)
  @Operation(
      summary = "Stop a purge run",
      description = "It stops after its current chunks; restart it to finish. 409 if not running.")
  public Response stop(@PathParam("executionId") long executionId) {
    runs.stop(executionId);
    return Response.accepted(runs.run(executionId)).build();
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
    return accepted(runs.restart(executionId, caller()));
  }

  /** The run just started, with its location; a refusal (RetentionRunException) answers itself. */
  private Response accepted(long executionId) {
    return Response.accepted(runs.run(executionId))
        .location(
            uri.getBaseUriBuilder().path("retention/runs/{id}").build(Long.toString(executionId)))
        .build();
  }

  private String caller() {
    return Callers.of(security, request).subject();
  }
}
