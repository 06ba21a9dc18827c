package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Export files across restarts of a server (a copy of the test server, on the same database, with
 * an export directory of the test's own): Liberty's job repository forgets its executions and
 * numbers them from 1 again, and still a new export never serves an old file; then, with a short
 * {@code EXPORT_FILE_RETENTION}, the sweeps at start and while running delete every file.
 */
@Tag("postgresql") // starts a copy of the PostgreSQL test server: once per build is enough
class ExportRestartIT {

  private static final String TOKEN = TestTokens.token("it-restart-officer", "privacy-officer");
  private static final Api.Client OFFICER = Api.as(TOKEN);
  private static final Duration START = Duration.ofMinutes(4);

  @Test
  void afterARestartANewExportNeverServesAnOldFileAndRetentionDeletesThemAll() throws Exception {
    String first = seededUser("restart-first-");
    String second = seededUser("restart-second-");
    Path exports =
        Files.createDirectories(Path.of("target", "export-restart-" + UUID.randomUUID()))
            .toAbsolutePath();
    try (SecondServer server =
        SecondServer.start("guardianStore-exports", Map.of("EXPORT_DIR", exports.toString()))) {
      awaitStarted(server);
      String base = server.baseUrl();
      JsonObject before = ExportDownloads.start(OFFICER, base, first);
      String firstId = before.getString("exportId");
      ExportDownloads.awaitCompletion(OFFICER, base, firstId);

      server.kill();
      server.restart(Map.of());
      awaitStarted(server);
      JsonObject after = ExportDownloads.start(OFFICER, base, second);
      String secondId = after.getString("exportId");
      // The job repository started again: the new job has the old one's execution id.
      assertThat(after.getJsonNumber("executionId").longValue())
          .isEqualTo(before.getJsonNumber("executionId").longValue());
      assertThat(secondId).isNotEqualTo(firstId);
      ExportDownloads.awaitCompletion(OFFICER, base, secondId);

      assertThat(userInFile(base, secondId)).isEqualTo(second);
      assertThat(userInFile(base, firstId)).isEqualTo(first); // still bound to its own user

      // Two seconds' retention: the sweep at start deletes both.
      server.kill();
      server.restart(Map.of("EXPORT_FILE_RETENTION", "PT2S"));
      awaitStarted(server);
      assertThat(OFFICER.get(base + "/api/privacy/exports/" + firstId).status()).isEqualTo(404);
      assertThat(OFFICER.get(base + "/api/privacy/exports/" + secondId).status()).isEqualTo(404);
      assertThat(exportFiles(exports)).isZero();

      // Once running, the periodic sweep deletes a new export within about twice the retention;
      // a job still writing it then (a loaded machine) discards its partial file when it ends.
      String thirdId = ExportDownloads.start(OFFICER, base, first).getString("exportId");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((OFFICER.get(base + "/api/privacy/exports/" + thirdId).status() != 404
              || exportFiles(exports) > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      assertThat(OFFICER.get(base + "/api/privacy/exports/" + thirdId).status()).isEqualTo(404);
      assertThat(exportFiles(exports)).isZero();
      assertThat(server.awaitLog(Duration.ofSeconds(1), "Export files in")).contains("kept PT2S");
    }
  }

  private static void awaitStarted(SecondServer server) throws Exception {
    String log = server.awaitLog(START, "CWWKZ0001I", "CWWKZ0012I");
    assertThat(log).contains("CWWKZ0001I: Application guardian-store started");
  }

  /** The user whose data the export's file holds, by its manifest. */
  private static String userInFile(String base, String exportId) throws Exception {
    var file = ExportDownloads.fetch(TOKEN, base + "/api/privacy/exports/" + exportId + "/file");
    assertThat(file.statusCode()).isEqualTo(200);
    var entries = ExportDownloads.entries(file.body());
    String user = ExportDownloads.manifest(entries).getString("userId");
    assertThat(entries.get("memories.jsonl")).contains(user);
    return user;
  }

  private static long exportFiles(Path exports) throws Exception {
    try (Stream<Path> files = Files.list(exports)) {
      return files.filter(f -> f.getFileName().toString().startsWith("export-")).count();
    }
  }

  private static String seededUser(String prefix) {
    String user = prefix + UUID.randomUUID();
    Api.Reply reply = Api.post("/api/collections/memories", Samples.record("memories", user));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return user;
  }
}
