package io.smlguardian.store.transaction;

import io.smlguardian.store.collection.JsonBodies;
import io.smlguardian.store.collection.JsonText;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** POST /api/atomic: several writes over any collections, all or nothing. */
@Path("atomic")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@Tag(name = "Atomic writes")
public class AtomicResource {

  @Inject AtomicService atomic;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @POST
  @AllowedRoles({Role.USER, Role.SERVICE})
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Carry out several inserts, updates and deletes in one transaction",
      description =
          "Body: {\"operations\": [{\"op\": \"insert\", \"collection\": \"memories\", \"record\": {...}},"
              + " {\"op\": \"update\", \"collection\": ..., \"id\": ..., \"version\": 3, \"changes\": {...}},"
              + " {\"op\": \"delete\", \"collection\": ..., \"id\": ..., \"version\": 3}]}. Either all"
              + " take effect or none: a failure answers the failed operation's problem with its"
              + " operationIndex.")
  @APIResponse(
      responseCode = "200",
      description = "All operations committed; their results in order",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Results.class)))
  public String execute(String body) {
    var operations = atomic.parse(JsonBodies.object(body));
    return new Results(atomic.execute(Callers.of(security, request), operations)).json();
  }

  /** Every operation's result, in the request's order. */
  public record Results(List<AtomicOperation.Result> results) {

    /**
     * {@code {"results": [...]}}, written as text: the records in it are texts already (see {@link
     * AtomicOperation.Result#json}).
     */
    public String json() {
      return new JsonText()
          .array("results", results.stream().map(AtomicOperation.Result::json).toList())
          .toString();
    }
  }
}
