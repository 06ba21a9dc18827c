package io.smlguardian.store.accesslog;

import io.smlguardian.store.problem.RefusalAudit;
import io.smlguardian.store.security.Caller;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.ReservedIdentities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;

/**
 * Records the accesses the API refuses in the audit trail, before they are answered: those the
 * authorization filter refuses (no valid token, a reserved identity, the wrong roles) and the
 * refusals that know whose data they concerned.
 */
@ApplicationScoped
public class RefusalAuditTrail implements RefusalAudit {

  @Inject AuditTrail audit;

  @Override
  public void refused(
      SecurityContext security,
      HttpServletRequest request,
      String owner,
      String collection,
      String operation,
      String reason) {
    audit.refused(Callers.of(security, request), owner, collection, operation, reason);
  }

  /** In aggregate under a flood (see {@link AuditTrail#unauthenticated}). */
  @Override
  public void unauthenticated(HttpServletRequest request, String operation, String reason) {
    audit.unauthenticated(
        new Caller(ReservedIdentities.ANONYMOUS, Set.of(), request.getRemoteAddr()),
        operation,
        reason);
  }
}
