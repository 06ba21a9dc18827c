package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.JsonBodies;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Privacy requests of the GDPR, for privacy officers. */
@Path("privacy")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.PRIVACY_OFFICER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy")
public class PrivacyResource {

  @Inject ErasureService erasure;
  @Inject ExportService exports;
  @Inject LegalHoldService holds;
  @Inject ExportJobs exportJobs;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @DELETE
  @Path("users/{userId}")
  @Operation(
      summary = "Erase everything of a user (right to be forgotten)",
      description =
          "Deletes the user's records in every collection but access_logs (kept for compliance),"
              + " destroys the user's data keys, and returns a receipt that is also recorded in"
              + " the audit trail.")
  public ErasureReceipt erase(@PathParam("userId") String userId) {
    return erasure.erase(Callers.of(security, request), userId);
  }

  @GET
  @Path("users/{userId}/export")
  @Produces({MediaType.APPLICATION_JSON, "application/zip"})
  @Operation(
      summary = "Export everything of a user (right of access)",
      description =
          "Streams every record of the user in every owned collection, access logs included."
              + " format=json (default): one JSON document {format, userId, exportedAt,"
              + " collections: {name: [records]}}. format=zip: one JSON-lines file per collection"
              + " and manifest.json with per collection the record count and SHA-256 of its file.")
  public Response export(
      @PathParam("userId") String userId,
      @QueryParam("format") @DefaultValue("json") String format) {
    DataSubjects.require(userId);
    Caller officer = Callers.of(security, request);
    UserDataExport export = new UserDataExport(exports, officer, userId);
    if (format.equals("json") || format.equals("zip")) {
      exports.recordStart(officer, userId, format);
    }
    return switch (format) {
      case "json" ->
          Response.ok((StreamingOutput) export::writeJson, MediaType.APPLICATION_JSON).build();
      case "zip" ->
          Response.ok((StreamingOutput) export::writeZip, "application/zip")
              .header(
                  "Content-Disposition",
                  "attachment; filename=\"export-"
                      + userId.replaceAll("[^A-Za-z0-9._-]", "_")
                      + ".zip\"")
              .build();
      default ->
          throw new InvalidRequestException("format must be json or zip, got '" + format + "'.");
    };
  }

  @POST
  @Path("users/{userId}/exports")
  @Operation(
      summary = "Export a user's data as a batch job, for large exports",
      description =
          "Starts the user-export job; its ZIP (same format as format=zip) is fetched from"
              + " /api/privacy/exports/{exportId}/file once the export has COMPLETED. The export"
              + " id is random and bound to the user; the file is deleted after"
              + " EXPORT_FILE_RETENTION, or when the user is erased.")
  public Response startExport(@PathParam("userId") String userId) {
    return Response.accepted(
            view(exportJobs.start(Callers.of(security, request), DataSubjects.require(userId))))
        .build();
  }

  @GET
  @Path("exports/{exportId}")
  @Operation(summary = "The state of an export")
  public ExportView exportStatus(@PathParam("exportId") String exportId) {
    return view(exportJobs.status(exportId));
  }

  @GET
  @Path("exports/{exportId}/file")
  @Produces("application/zip")
  @Operation(
      summary = "The ZIP of a completed export",
      description = "409 while the export has not completed; every download is audited.")
  public Response exportFile(@PathParam("exportId") String exportId) {
    java.io.InputStream file = exportJobs.download(Callers.of(security, request), exportId);
    return Response.ok(
            (StreamingOutput)
                out -> {
                  try (file) {
                    file.transferTo(out);
                  }
                },
            "application/zip")
        .header("Content-Disposition", "attachment; filename=\"export-" + exportId + ".zip\"")
        .build();
  }

  private static ExportView view(ExportJobs.Export export) {
    return new ExportView(
        export.exportId(),
        export.userId(),
        export.requestedAt(),
        export.status(),
        export.executionId(),
        export.exitStatus(),
        export.fileReady() ? "/api/privacy/exports/" + export.exportId() + "/file" : null);
  }

  /**
   * An export job as its requester sees it: what is not known yet is left out.
   *
   * @param executionId the job execution, once started
   * @param exitStatus the job's summary, once it ended
   * @param file where to fetch the ZIP, once it is complete
   */
  @JsonbPropertyOrder({
    "exportId",
    "userId",
    "requestedAt",
    "status",
    "executionId",
    "exitStatus",
    "file"
  })
  public record ExportView(
      UUID exportId,
      String userId,
      Instant requestedAt,
      String status,
      Long executionId,
      String exitStatus,
      String file) {}

  @PUT
  @Path("users/{userId}/hold")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Place a legal hold on a user",
      description =
          "Body: {\"reason\": \"...\"}. While held, the user can be neither erased nor purged.")
  public LegalHoldService.View placeHold(@PathParam("userId") String userId, String body) {
    DataSubjects.require(userId);
    JsonObject json = JsonBodies.object(body);
    if (!(json.get("reason") instanceof JsonString reason) || reason.getString().isBlank()) {
      throw new InvalidRequestException("A legal hold needs a non-empty 'reason'.");
    }
    return holds.place(Callers.of(security, request), userId, reason.getString());
  }

  @DELETE
  @Path("users/{userId}/hold")
  @Operation(summary = "Release a user's legal hold")
  public Response releaseHold(@PathParam("userId") String userId) {
    if (!holds.release(Callers.of(security, request), DataSubjects.require(userId))) {
      throw new NotFoundException("User " + userId + " is not under legal hold.");
    }
    return Response.noContent().build();
  }
}
