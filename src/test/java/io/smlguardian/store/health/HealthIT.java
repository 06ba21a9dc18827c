package io.smlguardian.store.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Stored;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Health on the running server: readiness reaches the backend under test (and names
 * it, which proves the server runs on the backend this test run is for) and times it.
 */
class HealthIT {

  private static JsonObject check(String probe, String name) {
    Api.Reply reply = Api.get(Api.SERVER_URL + "/health/" + probe);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.object().getString("status")).isEqualTo("UP");
    return reply.object().getJsonArray("checks").stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + reply));
  }

  /** The highest version among the PostgreSQL migration scripts of this build. */
  private static String latestMigration() {
    try (var scripts =
        java.util.stream.Stream.of("postgresql", "common").flatMap(HealthIT::scripts)) {
      return scripts
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
          .max(Integer::compare)
          .map(String::valueOf)
          .orElseThrow();
    }
  }

  private static java.util.stream.Stream<String> scripts(String folder) {
    try (var files =
        java.nio.file.Files.list(
            java.nio.file.Path.of("src/main/resources/db/migration", folder))) {
      return files.map(p -> p.getFileName().toString()).toList().stream();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void readinessReportsTheSeedsHealthyLatencyMessage() {
    JsonObject database = check("ready", "database");

    assertThat(database.getString("status")).isEqualTo("UP");
    JsonObject data = database.getJsonObject("data");
    assertThat(data.getBoolean("healthy")).isTrue();
    assertThat(data.getJsonNumber("latency").longValue()).isGreaterThanOrEqualTo(0);
    assertThat(data.getString("message")).startsWith("Database healthy (");
    assertThat(data.getString("backend")).isEqualTo(Stored.BACKEND);
  }

  @Test
  void livenessAndStartupAreUp() {
    assertThat(check("live", "heap").getString("status")).isEqualTo("UP");
    JsonObject schema = check("started", "schema").getJsonObject("data");
    assertThat(schema.getString("backend")).isEqualTo(Stored.BACKEND);
    // MongoDB has no versioned schema; the relational backends are at the migrations' version.
    assertThat(schema.getString("version"))
        .isEqualTo(Stored.BACKEND.equals("mongodb") ? "none" : latestMigration());
  }
}
