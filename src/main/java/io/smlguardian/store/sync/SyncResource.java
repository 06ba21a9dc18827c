package io.smlguardian.store.sync;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ingest's sync over HTTP (/api/sync): its status (the seed's getSyncStatus fields and the
 * journal's), a manual sync that answers when the flush is done, and the records the store refused
 * for good (dead letters: listed, put back into the journal, or discarded). Translates HTTP to
 * {@link IngestSync} calls and back.
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
    IngestSync.Flush flush = sync.syncNow(principal());
    return new SyncRun(
        flush.records(),
        flush.inserted(),
        flush.alreadyStored(),
        flush.erased(),
        flush.deadLettered(),
        flush.millis(),
        sync.status());
  }

  @GET
  @Path("dead-letters")
  @AllowedRoles({Role.OPERATOR, Role.SERVICE})
  @Operation(summary = "The ingested records the store refused for good, oldest first")
  @APIResponse(
      responseCode = "200",
      description = "{deadLetters: [{id, collection, owner, journaledAt, refusedAt, reason}]}")
  public DeadLetterList deadLetters() {
    return new DeadLetterList(sync.deadLetters());
  }

  @POST
  @Path("dead-letters/{id}/retry")
  @AllowedRoles(Role.OPERATOR)
  @Operation(summary = "Put a refused record back into the journal, for the next flush to write")
  @APIResponse(responseCode = "204", description = "Journaled again")
  @APIResponse(responseCode = "404", description = "No such dead letter")
  public Response retry(@PathParam("id") String id) {
    if (!sync.retryDeadLetter(recordId(id), principal())) {
      throw noSuchDeadLetter(id);
    }
    return Response.noContent().build();
  }

  @DELETE
  @Path("dead-letters/{id}")
  @AllowedRoles(Role.OPERATOR)
  @Operation(summary = "Discard a refused record for good (audited)")
  @APIResponse(responseCode = "204", description = "Discarded")
  @APIResponse(responseCode = "404", description = "No such dead letter")
  public Response discard(@PathParam("id") String id) {
    if (!sync.discardDeadLetter(recordId(id), principal())) {
      throw noSuchDeadLetter(id);
    }
    return Response.noContent().build();
  }

  private String principal() {
    return Callers.of(security, request).subject();
  }

  private static UUID recordId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "A dead letter is named by its record's id, a UUID; got '" + id + "'.");
    }
  }

  private static NotFoundException noSuchDeadLetter(String id) {
    return new NotFoundException("There is no dead letter " + id + " on this instance.");
  }

  /** The records set aside on this instance. */
  public record DeadLetterList(List<IngestSync.DeadLetterView> deadLetters) {}

  /**
   * What a manual sync did, and the status after it.
   *
   * @param flushed the journaled records it wrote or found written
   * @param alreadyStored of those, the ones the store held already (an earlier flush stored them)
   * @param erased of those, the ones of users erased since they were journaled
   * @param deadLettered of those, the ones the store refused for good, set aside
   */
  @JsonbPropertyOrder({
    "flushed",
    "inserted",
    "alreadyStored",
    "erased",
    "deadLettered",
    "millis",
    "status"
  })
  public record SyncRun(
      long flushed,
      long inserted,
      long alreadyStored,
      long erased,
      long deadLettered,
      long millis,
      IngestSync.Status status) {}
}
