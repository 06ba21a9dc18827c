package io.smlguardian.store.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL between writing audit entries and sealing them: every entry it
 * acknowledged is there after the restart, and the sealer seals them all into a ledger that
 * verifies. Shown on a second server with a SQLite store of its own (so that no other sealer shares
 * its ledger), whose sealer first waits an hour between turns.
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
@OnItsOwnServers
class AuditCrashIT {

  private static final int REQUESTS = 40;

  @Test
  void entriesWrittenBeforeAKillAreSealedAfterTheRestart() throws Exception {
    Path data = Files.createTempDirectory("guardian-crash");
    String principal = "it-crash-" + UUID.randomUUID();
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-crash",
            Map.of(
                "DB_BACKEND", "sqlite",
                "DATA_DIR", data.toString(),
                "AUDIT_SEAL_INTERVAL", "3600000"))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I"); // the server is ready
      Api.Client service = Api.as(TestTokens.token(principal, "service"));
      Api.Client auditor = Api.as(TestTokens.token(principal + "-auditor", "auditor"));
      String base = server.baseUrl();
      for (int i = 0; i < REQUESTS; i++) {
        String user = "crash-" + (i % 7);
        Api.Reply stored =
            service.post(base + "/api/collections/memories", Samples.record("memories", user));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
      }
      assertThat(unsealedOf(auditor, base, principal)).isEqualTo(REQUESTS);

      server.kill();
      server.restart(Map.of("AUDIT_SEAL_INTERVAL", "200"));
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (unsealedOf(auditor, base, principal) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(unsealedOf(auditor, base, principal)).isZero();
      assertThat(countOf(auditor, base, "principal=eq." + Api.q(principal))).isEqualTo(REQUESTS);
      JsonObject ledger = auditor.get(base + "/api/audit/ledger/verification").object();
      assertThat(ledger.getBoolean("valid")).as(ledger.toString()).isTrue();
    }
  }

  private static long unsealedOf(Api.Client auditor, String base, String principal) {
    return countOf(auditor, base, "principal=eq." + Api.q(principal) + "&block=is.null");
  }

  private static long countOf(Api.Client auditor, String base, String filters) {
    Api.Reply reply = auditor.get(base + "/api/collections/access_logs/count?" + filters);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object().getJsonNumber("count").longValue();
  }
}
