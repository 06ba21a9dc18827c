package io.smlguardian.store.privacy;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
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
  public JsonObject erase(@PathParam("userId") String userId) {
    return erasure.erase(Callers.of(security, request), userId).toJson();
  }
}
