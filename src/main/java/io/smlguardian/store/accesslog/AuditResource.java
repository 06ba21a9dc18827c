package io.smlguardian.store.accesslog;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tamper evidence of the audit ledger, for auditors. */
@Path("audit")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

  @Inject AuditVerifier verifier;
  @Inject AuditLedger ledger;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  private Caller caller() {
    return Callers.of(security, request);
  }

  @GET
  @Path("chains/{userId}/verification")
  @Operation(
      summary = "Verify a user's audit entries",
      description =
          "Checks every entry of the user against its MAC, every block holding one of them, and"
              + " the legacy chain of entries from before the ledger; lists what does not hold.")
  public JsonObject verifyUser(@PathParam("userId") String userId) {
    AuditVerifier.UserVerification result = verifier.verifyUser(caller(), userId);
    return Json.createObjectBuilder()
        .add("user", result.user())
        .add("entries", result.entries())
        .add("sealed", result.sealed())
        .add("legacy", result.legacy())
        .add("valid", result.valid())
        .add("problems", problems(result.problems()))
        .build();
  }

  @GET
  @Path("ledger/verification")
  @Operation(
      summary = "Verify the whole audit ledger, against the latest exported digest",
      description =
          "Recomputes every entry's MAC and every block's hash and link, and compares the end of"
              + " the chain with the latest digest written outside the database; lists what was"
              + " altered, inserted, deleted, reordered or truncated, and where.")
  public JsonObject verifyLedger() {
    AuditVerifier.LedgerVerification result = verifier.verifyLedger(caller());
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("blocks", result.blocks())
            .add("entries", result.entries())
            .add("unsealed", result.unsealed())
            .add("valid", result.valid());
    result.digest().ifPresent(d -> json.add("digest", digest(d)));
    return json.add("problems", problems(result.problems())).build();
  }

  @POST
  @Path("ledger/seal")
  @AllowedRoles({Role.AUDITOR, Role.OPERATOR})
  @Operation(
      summary = "Seal every entry written so far and write a digest now",
      description =
          "What the sealer does every AUDIT_SEAL_INTERVAL, done at once; answers the digest.")
  public JsonObject seal() {
    return digest(ledger.anchor(caller()));
  }

  private static JsonObject digest(AuditDigests.Digest digest) {
    return Json.createObjectBuilder()
        .add("block", digest.block())
        .add("hash", digest.hash())
        .add("entries", digest.entries())
        .add("time", digest.time().toString())
        .add("keyId", digest.keyId())
        .add("reason", digest.reason())
        .build();
  }

  private static JsonArrayBuilder problems(List<AuditVerifier.Problem> problems) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (AuditVerifier.Problem problem : problems) {
      JsonObjectBuilder json = Json.createObjectBuilder().add("kind", problem.kind());
      if (problem.block() != null) {
        json.add("block", problem.block());
      }
      if (problem.entryId() != null) {
        json.add("entryId", problem.entryId());
      }
      array.add(json.add("detail", problem.detail()));
    }
    return array;
  }
}
