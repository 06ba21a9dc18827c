package io.smlguardian.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.SecondServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A misconfigured retention policy stops the application from starting, with a message naming the
 * variable and the value, instead of purging by a silent default. Shown on a second server, a copy
 * of the test server (same database) given a negative period and an unparsable one.
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
class InvalidRetentionConfigIT {

  @Test
  void invalidPeriodsStopTheApplicationFromStartingAndSayWhy() throws Exception {
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-badRetention",
            Map.of("RETENTION_INTERACTIONS", "-P1D", "RETENTION_MEMORIES", "two years"))) {
      String log =
          server.awaitLog(
              Duration.ofMinutes(4),
              "CWWKZ0012I", // the application was not started
              "CWWKZ0001I"); // ...or it was, which the assertions below refuse

      assertThat(log).doesNotContain("CWWKZ0001I: Application guardian-store started");
      assertThat(log)
          .contains("Invalid retention configuration")
          .contains("RETENTION_INTERACTIONS=-P1D")
          .contains("RETENTION_MEMORIES=two years");
      assertThat(Api.anonymous().get(server.baseUrl() + "/api/retention").status()).isEqualTo(404);
    }
  }
}
