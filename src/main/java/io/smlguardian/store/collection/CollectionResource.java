package io.smlguardian.store.collection;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The seed's collection operations over HTTP, for every collection: /api/collections/{name}.
 * Translates HTTP to {@link RecordService} calls and back; owns no logic of its own.
 */
@Path("collections")
@ApplicationScoped // one instance: injected once, not per request (the @Context fields are proxies)
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Collections")
public class CollectionResource {

  static final String QUERY_GRAMMAR =
      "Filters: field=[not.]op.value with op in eq, neq (ne), gt, gte, lt, lte, in, is;"
          + " e.g. type=eq.success_pattern, strength=gte.0.5, emotion=in.(joy,calm),"
          + " endTime=is.null. Only a collection's query fields may be filtered or sorted."
          + " order=field[.asc|.desc],... (default: newest first by the collection's time field);"
          + " limit (default 100, max QUERY_MAX_LIMIT) and offset; select=field,... returns only"
          + " those fields.";

  @Inject RecordService records;
  @Inject CollectionRegistry collections;
  @Inject StoreReset reset;
  @Context UriInfo uri;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  private Caller caller() {
    return Callers.of(security, request);
  }

  @GET
  @AllowedRoles({Role.USER, Role.SERVICE, Role.AUDITOR})
  @MetadataOnly
  @Operation(summary = "List the collections with their fields, query fields and retention")
  public Collections listCollections() {
    return new Collections(collections.all().stream().map(Description::of).toList());
  }

  @DELETE
  @AllowedRoles(Role.OPERATOR)
  @Operation(
      summary =
          "Reset: remove every record of every collection (the seed's reset); exists only on the"
              + " memory backend with MEMORY_RESET_ENABLED=true, 404 otherwise")
  @APIResponse(responseCode = "200", description = "Per collection, the records removed")
  @APIResponse(responseCode = "404", description = "No reset on this server")
  public Cleared reset() {
    if (!reset.available()) {
      throw new NotFoundException(
          "There is no reset here: it exists on the memory backend with"
              + " MEMORY_RESET_ENABLED=true only.");
    }
    Map<String, Long> cleared = reset.clearAll(caller());
    return new Cleared(cleared, cleared.values().stream().mapToLong(Long::longValue).sum());
  }

  @POST
  @Path("{collection}")
  @AllowedRoles({Role.USER, Role.SERVICE})
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Insert one record (a JSON object) or many (a JSON array, in one transaction)",
      description = "The store assigns id, createdAt and version. An array is all or nothing.")
  @APIResponse(responseCode = "201", description = "Stored; Location and ETag name the record")
  public Response insert(@PathParam("collection") String collection, String body) {
    JsonValue json = JsonBodies.parse(body);
    if (json.getValueType() == JsonValue.ValueType.ARRAY) {
      List<RecordView> stored =
          records.insertAll(caller(), collection, JsonBodies.objects(json.asJsonArray(), "record"));
      return Response.status(Response.Status.CREATED)
          .entity(new JsonText().array("items", texts(stored)).toString())
          .build();
    }
    RecordView stored =
        records.insert(caller(), collection, JsonBodies.asObject(json, "The request body"));
    return Response.created(uri.getAbsolutePathBuilder().path(stored.id().toString()).build())
        .tag(etag(stored))
        .entity(stored.json())
        .build();
  }

  @GET
  @Path("{collection}")
  @AllowedRoles({Role.USER, Role.SERVICE, Role.AUDITOR})
  @Operation(summary = "Find records: filter, order, page, project", description = QUERY_GRAMMAR)
  @APIResponse(
      responseCode = "200",
      description = "{items: [...], limit, offset}",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.OBJECT)))
  public String find(@PathParam("collection") String collection) {
    RecordPage page = records.find(caller(), collection, uri.getQueryParameters());
    return new JsonText()
        .array("items", page.items())
        .number("limit", page.limit())
        .number("offset", page.offset())
        .toString();
  }

  @GET
  @Path("{collection}/count")
  @AllowedRoles({Role.USER, Role.SERVICE, Role.AUDITOR})
  @Operation(summary = "Count the records matching filters", description = QUERY_GRAMMAR)
  public Count count(@PathParam("collection") String collection) {
    return new Count(records.count(caller(), collection, uri.getQueryParameters()));
  }

  @GET
  @Path("{collection}/{id}")
  @AllowedRoles({Role.USER, Role.SERVICE, Role.AUDITOR})
  @Operation(summary = "Find one record by id; its ETag is its version")
  public Response findById(
      @PathParam("collection") String collection,
      @PathParam("id") String id,
      @Parameter(description = "fields to return, comma-separated") @QueryParam("select")
          String select) {
    RecordView found = records.find(caller(), collection, uuid(id), select);
    return Response.ok(found.json()).tag(etag(found)).build();
  }

  @PATCH
  @Path("{collection}/{id}")
  @AllowedRoles({Role.USER, Role.SERVICE})
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @Operation(
      summary = "Update fields of a record (JSON merge patch)",
      description =
          "With If-Match: \"<version>\" the update applies only to that version, else 412."
              + " Without it, it applies to the current version.")
  @APIResponse(responseCode = "200", description = "The updated record; ETag is its new version")
  @APIResponse(responseCode = "412", description = "The record is no longer at that version")
  public Response update(
      @PathParam("collection") String collection,
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      String body) {
    RecordView updated =
        records.update(
            caller(),
            collection,
            uuid(id),
            ETags.expectedVersion(ifMatch),
            JsonBodies.object(body));
    return Response.ok(updated.json()).tag(etag(updated)).build();
  }

  @DELETE
  @Path("{collection}/{id}")
  @AllowedRoles({Role.USER, Role.SERVICE})
  @Operation(summary = "Delete a record; with If-Match only at that version, else 412")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(
      @PathParam("collection") String collection,
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    records.delete(caller(), collection, uuid(id), ETags.expectedVersion(ifMatch));
    return Response.noContent().build();
  }

  private static List<String> texts(List<RecordView> views) {
    return views.stream().map(RecordView::json).toList();
  }

  /** The strong ETag of a record version: its version number. */
  private static EntityTag etag(RecordView view) {
    return new EntityTag(Long.toString(view.version()));
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("A record id is a UUID; got '" + id + "'.");
    }
  }

  /** Every collection's description. */
  public record Collections(List<Description> collections) {}

  /**
   * A collection as clients see it: what it holds, how long, and its fields.
   *
   * @param category the data category's label
   * @param sensitive whether its category is sensitive (special category data)
   * @param owned whether each record belongs to a user
   * @param defaultRetention ISO-8601
   */
  @JsonbPropertyOrder({
    "name",
    "category",
    "sensitive",
    "owned",
    "defaultRetention",
    "timeField",
    "fields"
  })
  public record Description(
      String name,
      String category,
      boolean sensitive,
      boolean owned,
      String defaultRetention,
      String timeField,
      List<Field> fields) {

    static Description of(CollectionDescriptor<?> collection) {
      return new Description(
          collection.name(),
          collection.category().label(),
          collection.category().sensitive(),
          collection.owned(),
          collection.defaultRetention().toString(),
          collection.timeField(),
          collection.schema().fields().stream()
              .map(
                  field ->
                      new Field(
                          field.name(),
                          field.type().name().toLowerCase(),
                          field.required(),
                          field.access().name().toLowerCase(),
                          collection.isQueryField(field.name())))
              .toList());
    }
  }

  /**
   * A field of a collection.
   *
   * @param type its type, lower case (text, number, time...)
   * @param access who may write it, lower case
   * @param query whether it may be filtered and sorted on
   */
  @JsonbPropertyOrder({"name", "type", "required", "access", "query"})
  public record Field(String name, String type, boolean required, String access, boolean query) {}

  /**
   * What a reset removed.
   *
   * @param cleared per collection, the records removed
   */
  @JsonbPropertyOrder({"cleared", "total"})
  public record Cleared(Map<String, Long> cleared, long total) {}

  /** How many records match. */
  public record Count(long count) {}
}
