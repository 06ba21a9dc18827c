package io.smlguardian.store.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.accesslog.AccessLog;
import io.smlguardian.store.accesslog.AuditTrail;
import io.smlguardian.store.backup.BackupJobs;
import io.smlguardian.store.retention.RetentionJobs;
import org.junit.jupiter.api.Test;

/** The store's own identities: one list, which every name the store files entries under is in. */
class ReservedIdentitiesTest {

  @Test
  void theNamesTheStoreUsesAreAllReserved() {
    assertThat(ReservedIdentities.ALL)
        .contains(
            AccessLog.UNKNOWN_USER,
            AuditTrail.STORE_OWNER,
            RetentionJobs.SCHEDULER,
            BackupJobs.SCHEDULER,
            Callers.of(new NoPrincipal(), null).subject());
  }

  @Test
  void caseAndBlanksDoNotHideAReservedName() {
    assertThat(ReservedIdentities.isReserved("unknown")).isTrue();
    assertThat(ReservedIdentities.isReserved("SYSTEM")).isTrue();
    assertThat(ReservedIdentities.isReserved(" Scheduler\t")).isTrue();
    assertThat(ReservedIdentities.isReserved("systems")).isFalse();
    assertThat(ReservedIdentities.isReserved("alice")).isFalse();
    assertThat(ReservedIdentities.isReserved(null)).isFalse();
  }

  /** A request's security context without a principal, as for a request without a token. */
  private static final class NoPrincipal implements jakarta.ws.rs.core.SecurityContext {
    @Override
    public java.security.Principal getUserPrincipal() {
      return null;
    }

    @Override
    public boolean isUserInRole(String role) {
      return false;
    }

    @Override
    public boolean isSecure() {
      return false;
    }

    @Override
    public String getAuthenticationScheme() {
      return null;
    }
  }
}
