package io.smlguardian.store.sync;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.JsonBodies;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The write-behind ingest over HTTP (/api/ingest): records in, 202 with their ids once journaled.
 * Translates HTTP to {@link IngestService} calls and back; the sync is {@link SyncResource}'s.
 */
@Path("ingest")
@ApplicationScoped
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ingest")
public class IngestResource {

  @Inject IngestService ingest;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  private Caller caller() {
    return Callers.of(security, request);
  }

  @POST
  @AllowedRoles(Role.SERVICE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Ingest records of any collections and users: [{collection, record}, ...]",
      description =
          "Validated and sealed as an insert; a record may carry its id (a UUID). Answered 202"
              + " once journaled; written to the store by the flusher. All or nothing.")
  @APIResponse(responseCode = "202", description = "{accepted, ids}: journaled, in request order")
  public Response ingest(String body) {
    JsonArray array = array(JsonBodies.parse(body));
    List<IngestService.Item> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject item = JsonBodies.asObject(array.get(i), "Item " + i);
      JsonValue collection = item.get("collection");
      JsonValue record = item.get("record");
      if (!(collection instanceof JsonString name)
          || record == null
          || record.getValueType() != JsonValue.ValueType.OBJECT
          || item.size() != 2) {
        throw new InvalidRequestException(
            "Item " + i + " must be {\"collection\": name, \"record\": {...}} and nothing else.");
      }
      items.add(new IngestService.Item(name.getString(), record.asJsonObject()));
    }
    return accepted(ingest.ingest(caller(), items));
  }

  @POST
  @Path("{collection}")
  @AllowedRoles(Role.SERVICE)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Ingest records of one collection: one (object) or many (array)")
  @APIResponse(responseCode = "202", description = "{accepted, ids}: journaled, in request order")
  public Response ingest(@PathParam("collection") String collection, String body) {
    JsonValue json = JsonBodies.parse(body);
    List<JsonObject> records =
        json.getValueType() == JsonValue.ValueType.ARRAY
            ? JsonBodies.objects(json.asJsonArray(), "record")
            : List.of(JsonBodies.asObject(json, "The request body"));
    return accepted(
        ingest.ingest(
            caller(), records.stream().map(r -> new IngestService.Item(collection, r)).toList()));
  }

  private static JsonArray array(JsonValue json) {
    if (json.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new InvalidRequestException(
          "The request body must be an array of {\"collection\": name, \"record\": {...}}.");
    }
    return json.asJsonArray();
  }

  private static Response accepted(List<UUID> ids) {
    return Response.accepted(new Accepted(ids.size(), ids)).build();
  }

  /** The answer to an ingest: how many records were journaled, and their ids in request order. */
  @JsonbPropertyOrder({"accepted", "ids"})
  public record Accepted(int accepted, List<UUID> ids) {}
}
