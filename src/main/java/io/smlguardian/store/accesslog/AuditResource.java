package io.smlguardian.store.accesslog;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tamper evidence of the audit trail, for auditors. */
@Path("audit")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

  @Inject AuditVerifier verifier;

  @GET
  @Path("chains/{userId}/verification")
  @Operation(
      summary = "Verify the hash chain of a user's audit entries",
      description =
          "Recomputes every hash from the first entry; reports the first broken link (an entry"
              + " altered, removed, or removed from the end) with its position and why.")
  public JsonObject verify(@PathParam("userId") String userId) {
    AuditVerifier.Verification result = verifier.verify(userId);
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("chain", result.chain())
            .add("entries", result.entries())
            .add("valid", result.valid());
    if (!result.valid()) {
      JsonObjectBuilder broken = Json.createObjectBuilder().add("seq", result.brokenAt());
      if (result.entryId() != null) {
        broken.add("entryId", result.entryId());
      }
      json.add("firstBrokenLink", broken.add("problem", result.problem()));
    }
    return json.build();
  }
}
