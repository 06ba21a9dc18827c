package io.smlguardian.store.sync;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
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
  public JsonObject status() {
    return status(sync.status());
  }

  @POST
  @AllowedRoles({Role.OPERATOR, Role.SERVICE})
  @Operation(summary = "Flush every journaled record to the store now; answers when done")
  @APIResponse(
      responseCode = "200",
      description = "{flushed, inserted, alreadyStored, erased, millis, status}")
  @APIResponse(responseCode = "503", description = "The store failed; the records stay journaled")
  public JsonObject syncNow() {
    IngestSync.Flush flush = sync.syncNow(Callers.of(security, request).subject());
    return Jsonp.PROVIDER
        .createObjectBuilder()
        .add("flushed", flush.records())
        .add("inserted", flush.inserted())
        .add("alreadyStored", flush.records() - flush.inserted() - flush.erased())
        .add("erased", flush.erased())
        .add("millis", flush.millis())
        .add("status", status(sync.status()))
        .build();
  }

  private static JsonObject status(IngestSync.Status status) {
    IngestJournal.Stats journal = status.journal();
    JsonObjectBuilder json =
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("isSynced", status.synced())
            .add("pendingWrites", status.pendingWrites());
    time(json, "lastSyncTime", status.lastSyncTime());
    time(json, "nextSyncTime", status.nextSyncTime());
    if (status.syncLatencyMillis() == null) {
      json.addNull("syncLatency");
    } else {
      json.add("syncLatency", status.syncLatencyMillis());
    }
    json.add("replayed", status.replayed());
    if (status.lastError() == null) {
      json.addNull("lastError");
    } else {
      json.add("lastError", status.lastError());
    }
    return json.add(
            "journal",
            Jsonp.PROVIDER
                .createObjectBuilder()
                .add("bytes", journal.bytes())
                .add("records", journal.records())
                .add("pendingBytes", journal.pendingBytes())
                .add("forces", journal.forces()))
        .build();
  }

  private static void time(JsonObjectBuilder json, String name, Instant time) {
    if (time == null) {
      json.addNull(name);
    } else {
      json.add(name, time.toString());
    }
  }
}
