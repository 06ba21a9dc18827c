package io.smlguardian.store.sync;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ingest's sync over HTTP (/api/sync): its status (the seed's getSyncStatus fields and the
 * journal's), and a manual sync that answers when the flush is done. Translates HTTP to {@link
 * IngestSync} calls and back.
 */
@Path("sync")
@ApplicationScoped
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ingest")
public class SyncResource {

  @Inject IngestSync sync;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @AllowedRoles({Role.OPERATOR, Role.SERVICE})
  @Operation(summary = "Sync status: pending writes, last and next sync, the journal's size")
  public IngestSync.Status status() {
    return sync.status();
  }

  @POST
  @AllowedRoles({Role.OPERATOR, Role.SERVICE})
  @Operation(summary = "Flush every journaled record to the store now; answers when done")
  @APIResponse(
      responseCode = "200",
      description = "{flushed, inserted, alreadyStored, erased, millis, status}")
  @APIResponse(responseCode = "503", description = "The store failed; the records stay journaled")
  public SyncRun syncNow() {
    IngestSync.Flush flush = sync.syncNow(Callers.of(security, request).subject());
    return new SyncRun(
        flush.records(),
        flush.inserted(),
        flush.records() - flush.inserted() - flush.erased(),
        flush.erased(),
        flush.millis(),
        sync.status());
  }

  /**
   * What a manual sync did, and the status after it.
   *
   * @param flushed the journaled records it wrote or found written
   * @param alreadyStored of those, the ones the store held already (an earlier flush stored them)
   * @param erased of those, the ones of users erased since they were journaled
   */
  @JsonbPropertyOrder({"flushed", "inserted", "alreadyStored", "erased", "millis", "status"})
  public record SyncRun(
      long flushed,
      long inserted,
      long alreadyStored,
      long erased,
      long millis,
      IngestSync.Status status) {}
}
