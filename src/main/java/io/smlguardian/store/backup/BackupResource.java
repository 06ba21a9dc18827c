package io.smlguardian.store.backup;

import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.platform.Problem;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Backups for operators: take, list, inspect, verify, download, upload, delete and restore them,
 * and watch the jobs that take and restore them. Every backup id in a path is validated before it
 * reaches any file (400 otherwise).
 */
@Path("backups")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Backups")
public class BackupResource {

  private static final String ZIP = "application/zip";

  @Inject BackupArchives archives;
  @Inject BackupJobs jobs;
  @Inject RestoreService restores;
  @Inject BackupConfig config;
  @Inject BackupScheduler scheduler;
  @Context SecurityContext security;
  @Context HttpServletRequest request;
  @Context UriInfo uri;

  @POST
  @Operation(
      summary = "Take a backup",
      description =
          "Starts the backup job; 202 with the job, whose result (once COMPLETED) gives the"
              + " backup's backupId, size and timestamp. 409 while a backup or restore runs.")
  public Response backUp() {
    return started(jobs.startBackup(caller()));
  }

  @GET
  @Operation(
      summary = "The backups, newest first",
      description = "Each with backupId, size (bytes), timestamp, and records per collection.")
  public Listing list() {
    Settings settings =
        new Settings(
            config.scheduled(),
            config.frequency().name().toLowerCase(Locale.ROOT),
            config.retentionDays(),
            config.compression(),
            config.key().isPresent(),
            scheduler.nextRun().map(Object::toString).orElse(null));
    return new Listing(archives.list(), settings);
  }

  /**
   * Every backup, and how backups are taken here.
   *
   * @param items the backups, newest first
   */
  @JsonbPropertyOrder({"items", "settings"})
  public record Listing(List<BackupSummary> items, Settings settings) {}

  /**
   * How this server takes backups.
   *
   * @param enabled whether the schedule takes backups
   * @param frequency how often, in lower case
   * @param compression whether entries are compressed
   * @param encryption whether entries are encrypted
   * @param nextRun when the schedule takes the next one; left out when it takes none
   */
  @JsonbPropertyOrder({
    "enabled",
    "frequency",
    "retentionDays",
    "compression",
    "encryption",
    "nextRun"
  })
  public record Settings(
      boolean enabled,
      String frequency,
      int retentionDays,
      boolean compression,
      boolean encryption,
      String nextRun) {}

  @GET
  @Path("jobs")
  @Operation(summary = "The most recent backup and restore jobs, newest first")
  public Runs jobs(@QueryParam("limit") @DefaultValue("20") String limit) {
    return new Runs(jobs.runs(QueryParser.integer("limit", limit, 1, 200)));
  }

  /**
   * The most recent runs of the backup and restore jobs.
   *
   * @param items newest first
   */
  public record Runs(List<BackupJobs.Run> items) {}

  @GET
  @Path("jobs/{executionId}")
  @Operation(summary = "One backup or restore job: status, and its result once it ended")
  public Response job(@PathParam("executionId") long executionId) {
    return Response.ok(jobs.run(executionId)).build();
  }

  @POST
  @Path("jobs/{executionId}/stop")
  @Operation(summary = "Stop a running backup (no archive is kept); restores are not stopped")
  public Response stop(@PathParam("executionId") long executionId) {
    jobs.stop(executionId);
    return Response.accepted(jobs.run(executionId)).build();
  }

  @GET
  @Path("{backupId}")
  @Operation(summary = "One backup: its summary and manifest")
  public Response get(@PathParam("backupId") String backupId) {
    return Response.ok(archives.detail(BackupId.parse(backupId))).build();
  }

  @DELETE
  @Path("{backupId}")
  @Operation(summary = "Delete a backup")
  public Response delete(@PathParam("backupId") String backupId) throws IOException {
    archives.delete(BackupId.parse(backupId));
    return Response.noContent().build();
  }

  @POST
  @Path("{backupId}/verification")
  @Operation(
      summary = "Verify a backup",
      description =
          "Recomputes every checksum (each block and each entry as stored, then each entry's"
              + " records decoded); reports each damaged or truncated entry and where. 409 when it"
              + " is encrypted and this server lacks its key.")
  public Response verify(@PathParam("backupId") String backupId) {
    return Response.ok(archives.verify(BackupId.parse(backupId), config.key())).build();
  }

  @POST
  @Path("{backupId}/restore")
  @Operation(
      summary = "Restore a backup",
      description =
          "Starts the restore job; 202 with the job. Refused at once (nothing changes) when the"
              + " backup is unreadable or not authenticated by this server (422), encrypted without"
              + " this server's key (409), not encrypted on a server that encrypts its backups and"
              + " allowUnencrypted is not true (409; accepting it is audited), or the store is not"
              + " empty and replace is not true (409), or the archive's audit ledger"
              + " ends before the latest audit digest and force is not true (409). The job"
              + " recomputes every"
              + " checksum before it writes anything.")
  public Response restore(
      @PathParam("backupId") String backupId,
      @QueryParam("replace") @DefaultValue("false") boolean replace,
      @QueryParam("force") @DefaultValue("false") boolean force,
      @QueryParam("allowUnencrypted") @DefaultValue("false") boolean allowUnencrypted) {
    BackupId id = BackupId.parse(backupId);
    restores.precheck(id, replace, force, allowUnencrypted);
    return started(jobs.startRestore(id, replace, force, allowUnencrypted, caller()));
  }

  @GET
  @Path("{backupId}/archive")
  @Produces({ZIP, Problem.MEDIA_TYPE})
  @Operation(summary = "Download a backup's archive (to keep it elsewhere, or move it)")
  public Response download(@PathParam("backupId") String backupId) throws IOException {
    BackupId id = BackupId.parse(backupId);
    java.nio.file.Path file = archives.existing(id);
    StreamingOutput body = out -> Files.copy(file, out);
    return Response.ok(body, ZIP)
        .header("Content-Disposition", "attachment; filename=\"" + id.value() + ".zip\"")
        .header("Content-Length", Files.size(file))
        .build();
  }

  @PUT
  @Path("{backupId}/archive")
  @Consumes({ZIP, MediaType.APPLICATION_OCTET_STREAM})
  @Operation(
      summary = "Upload a backup's archive",
      description =
          "Takes in another server's archive under its id (e.g. to restore it on another"
              + " backend); its manifest's MAC, its limits and every checksum are checked first."
              + " 201 with its summary; 400 when it is not an intact archive of that id"
              + " authenticated by this server's key (the same AUDIT_KEY); 409 when that backup"
              + " exists, or when it is not encrypted, this server encrypts its backups and"
              + " allowUnencrypted is not true (accepting it is audited).")
  public Response upload(
      @PathParam("backupId") String backupId,
      @QueryParam("allowUnencrypted") @DefaultValue("false") boolean allowUnencrypted,
      InputStream body)
      throws IOException {
    BackupId id = BackupId.parse(backupId);
    BackupSummary summary = archives.receive(id, body, config.key(), allowUnencrypted, caller());
    return Response.created(uri.getBaseUriBuilder().path("backups/{id}").build(id.value()))
        .entity(summary)
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  private Response started(long executionId) {
    return Response.accepted(jobs.run(executionId))
        .location(
            uri.getBaseUriBuilder().path("backups/jobs/{id}").build(Long.toString(executionId)))
        .build();
  }

  private String caller() {
    return Callers.of(security, request).subject();
  }
}
