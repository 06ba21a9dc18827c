package io.smlguardian.store.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Where the API records the accesses it refuses before it answers them: the audit trail, which
 * provides this as a CDI bean, so that the answering of problems needs no feature and every refusal
 * is recorded in one place.
 */
public interface RefusalAudit {

  /**
   * A refused access of a caller with a valid token.
   *
   * @param owner whose data it concerned, when known
   * @param collection the collection it named, when known
   * @throws Unavailable when it cannot be recorded: then it is not answered as refused either
   */
  void refused(
      SecurityContext security,
      HttpServletRequest request,
      String owner,
      String collection,
      String operation,
      String reason);

  /**
   * A request without a valid token, refused.
   *
   * @throws Unavailable when it cannot be recorded
   */
  void unauthenticated(HttpServletRequest request, String operation, String reason);
}
