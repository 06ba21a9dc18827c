package io.smlguardian.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The schedule starts the purge with no caller at all, as the store's own batch identity: no batch
 * role is given to EVERYONE, so without that identity the server would refuse the start. Shown on a
 * second server, a copy of the test server (same database), whose schedule fires every 10 seconds
 * (a cron expression with the optional seconds field, which Jakarta Concurrency's trigger reads).
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
class RetentionScheduleIT {

  @Test
  void theScheduleRunsThePurgeUnderTheStoresOwnIdentity() throws Exception {
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-schedule", Map.of(), Map.of("RETENTION_SCHEDULE", "0/10 * * * * *"))) {
      String log = server.awaitLog(Duration.ofMinutes(4), "CWWKZ0001I", "CWWKZ0012I");
      assertThat(log).contains("CWWKZ0001I: Application guardian-store started");
      Api.Client operator = Api.as(TestTokens.token("it-schedule-operator", "operator"));

      JsonObject run = awaitScheduledRun(operator, server.baseUrl());

      assertThat(run.getString("status")).as(run.toString()).isEqualTo("COMPLETED");
      assertThat(server.awaitLog(Duration.ofSeconds(1), "Retention run"))
          .doesNotContain("Scheduled retention run could not start")
          .doesNotContain("JobSecurityException");
    }
  }

  /** The first run the schedule started, once it has ended (at most 3 minutes). */
  private static JsonObject awaitScheduledRun(Api.Client operator, String baseUrl)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      Api.Reply runs = operator.get(baseUrl + "/api/retention/runs");
      if (runs.status() == 200) {
        Optional<JsonObject> ended =
            runs.items().stream()
                .map(JsonValue::asJsonObject)
                .filter(r -> RetentionJobs.SCHEDULER.equals(r.getString("startedBy", null)))
                .filter(r -> !r.getString("status").startsWith("START"))
                .findFirst();
        if (ended.isPresent()) {
          return ended.get();
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the schedule started no retention run that ended within 3 minutes");
  }
}
