package io.smlguardian.store.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a caller may do, as carried in the {@code groups} claim of its token.
 *
 * <p>The string constants are for {@code @RolesAllowed}, which takes compile-time constants.
 */
public enum Role {
  /** A person: only their own records. */
  USER(Role.USER_NAME),
  /** An internal app of the platform: any user's records; no privacy or operations endpoints. */
  SERVICE(Role.SERVICE_NAME),
  /** Answers access and erasure requests, sets legal holds. */
  PRIVACY_OFFICER(Role.PRIVACY_OFFICER_NAME),
  /** Reads the audit trail (access logs) and nothing else. */
  AUDITOR(Role.AUDITOR_NAME),
  /** Runs the service: batch jobs, backups, restore, status. */
  OPERATOR(Role.OPERATOR_NAME);

  public static final String USER_NAME = "user";
  public static final String SERVICE_NAME = "service";
  public static final String PRIVACY_OFFICER_NAME = "privacy-officer";
  public static final String AUDITOR_NAME = "auditor";
  public static final String OPERATOR_NAME = "operator";

  private final String claim;

  Role(String claim) {
    this.claim = claim;
  }

  /** The role's name in tokens and in {@code @RolesAllowed}. */
  public String claim() {
    return claim;
  }

  public static Optional<Role> fromClaim(String claim) {
    return Arrays.stream(values()).filter(r -> r.claim.equals(claim)).findFirst();
  }
}
