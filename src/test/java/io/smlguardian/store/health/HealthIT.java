package io.smlguardian.store.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Health on the running server: every probe is UP, and its anonymous answer carries
 * each check's name and status and nothing else (an empty data member at most) (no driver message,
 * latency, backend, version or heap figures: those are for operators, in /api/status and /metrics).
 */
class HealthIT {

  private static List<JsonObject> checks(String path) {
    Api.Reply reply = Api.anonymous().get(Api.SERVER_URL + path);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.object().getString("status")).isEqualTo("UP");
    assertThat(reply.object().keySet()).containsExactlyInAnyOrder("status", "checks");
    return reply.object().getJsonArray("checks").stream().map(JsonValue::asJsonObject).toList();
  }

  @Test
  void everyProbeIsUpAndNamesItsChecks() {
    assertThat(checks("/health/ready")).extracting(c -> c.getString("name")).contains("database");
    assertThat(checks("/health/live")).extracting(c -> c.getString("name")).contains("heap");
    assertThat(checks("/health/started")).extracting(c -> c.getString("name")).contains("schema");
  }

  @Test
  void anonymousAnswersCarryStatusOnly() {
    for (String path : List.of("/health", "/health/ready", "/health/live", "/health/started")) {
      assertThat(checks(path))
          .as(path)
          .isNotEmpty()
          .allSatisfy(
              check -> {
                // Liberty adds an empty data member; anything in it would be a detail.
                assertThat(check.keySet()).containsOnly("name", "status", "data");
                assertThat(check.getString("status")).isEqualTo("UP");
                if (check.containsKey("data")) {
                  assertThat(check.getJsonObject("data")).isEmpty();
                }
              });
    }
  }
}
