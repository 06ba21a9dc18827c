package io.smlguardian.store.accesslog;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
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
  public UserAnswer verifyUser(@PathParam("userId") String userId) {
    AuditVerifier.UserVerification result = verifier.verifyUser(caller(), userId);
    return new UserAnswer(
        result.user(),
        result.entries(),
        result.sealed(),
        result.legacy(),
        result.valid(),
        result.problems());
  }

  @GET
  @Path("ledger/verification")
  @Operation(
      summary = "Verify the whole audit ledger, against the latest exported digest",
      description =
          "Recomputes every entry's MAC and every block's hash and link, and compares the end of"
              + " the chain with the latest digest written outside the database; lists what was"
              + " altered, inserted, deleted, reordered or truncated, and where.")
  public LedgerAnswer verifyLedger() {
    AuditVerifier.LedgerVerification result = verifier.verifyLedger(caller());
    return new LedgerAnswer(
        result.blocks(),
        result.entries(),
        result.unsealed(),
        result.valid(),
        result.digest().orElse(null),
        result.problems());
  }

  @POST
  @Path("ledger/seal")
  @AllowedRoles({Role.AUDITOR, Role.OPERATOR})
  @Operation(
      summary = "Seal every entry written so far and write a digest now",
      description =
          "What the sealer does every AUDIT_SEAL_INTERVAL, done at once; answers the digest.")
  public AuditDigests.Digest seal() {
    return ledger.anchor(caller());
  }

  /** A user's verification (see {@link AuditVerifier.UserVerification}). */
  @JsonbPropertyOrder({"user", "entries", "sealed", "legacy", "valid", "problems"})
  public record UserAnswer(
      String user,
      long entries,
      long sealed,
      long legacy,
      boolean valid,
      List<AuditVerifier.Problem> problems) {}

  /**
   * The ledger's verification (see {@link AuditVerifier.LedgerVerification}).
   *
   * @param digest the latest exported digest it was compared with, left out when there is none
   */
  @JsonbPropertyOrder({"blocks", "entries", "unsealed", "valid", "digest", "problems"})
  public record LedgerAnswer(
      long blocks,
      long entries,
      long unsealed,
      boolean valid,
      AuditDigests.Digest digest,
      List<AuditVerifier.Problem> problems) {}
}
