package io.smlguardian.store.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.OnItsOwnServers;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.SecondServer;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The files a server writes are its user's alone, and what a crash leaves half-written is gone at
 * the next start. On a second server with a SQLite store and data, backup and export directories
 * that do not exist before it starts: every directory it creates is 0700, the database, the audit
 * digests, the erasure ledger, a backup archive and an export file are 0600. Then the server is
 * killed, partial files as a backup, an upload and an export leave them are put beside the real
 * ones, and after the restart only the partial files are gone.
 */
@Tag("postgresql") // starts a second server: once per build is enough
@OnItsOwnServers
class PrivateFilesIT {

  @Test
  void filesAreCreatedPrivateAndPartialFilesAreRemovedAtStart() throws Exception {
    Path root = Files.createTempDirectory("guardian-files");
    Path data = root.resolve("data");
    Path backups = root.resolve("backups");
    Path exports = root.resolve("exports");
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-files",
            Map.of(
                "DB_BACKEND", "sqlite",
                "DATA_DIR", data.toString(),
                "BACKUP_DIR", backups.toString(),
                "EXPORT_DIR", exports.toString()))) {
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);
      String base = server.baseUrl();
      String user = "files-" + UUID.randomUUID();
      Api.Client service = Api.as(TestTokens.token("it-files-service", "service"));
      Api.Client officer = Api.as(TestTokens.token("it-files-officer", "privacy-officer"));
      Api.Client operator = Api.as(TestTokens.token("it-files-operator", "operator"));
      assertThat(
              service
                  .post(base + "/api/collections/memories", Samples.record("memories", user))
                  .status())
          .isEqualTo(201);

      Path export = exportOf(officer, base, user, exports);
      // Another user's erasure: the exported user's would delete the export file.
      String erased = "/api/privacy/users/erased-" + UUID.randomUUID();
      assertThat(officer.delete(base + erased, null).status()).isEqualTo(200);
      Path archive = backupIn(operator, base, backups);

      for (Path directory : List.of(data, data.resolve("audit-digests"), backups, exports)) {
        assertThat(permissions(directory)).as(directory.toString()).isEqualTo("rwx------");
      }
      List<Path> files =
          List.of(
              data.resolve("sml_guardian.db"),
              data.resolve("audit-digests/audit-digests.jsonl"),
              archive,
              export,
              export.resolveSibling(
                  export.getFileName().toString().replace(".zip", ".json"))); // its binding
      for (Path file : files) {
        assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
      }
      try (Stream<Path> sqlite = Files.list(data)) {
        sqlite
            .filter(f -> f.getFileName().toString().startsWith("sml_guardian.db"))
            .forEach(f -> assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------"));
      }

      server.kill();
      List<Path> partial =
          List.of(
              backups.resolve(".gs-20261201T000000Z-abcdefgh-4711.part"),
              backups.resolve(".entry-4711.tmp"),
              exports.resolve("export-4711.part"));
      for (Path file : partial) {
        Files.writeString(file, "half-written");
      }
      Path unrelated = backups.resolve("notes.txt");
      Files.writeString(unrelated, "an operator's file");

      server.restart(Map.of());
      server.awaitLog(Duration.ofMinutes(4), "CWWKF0011I");
      awaitReady(server);

      for (Path file : partial) {
        assertThat(file).as("removed at start").doesNotExist();
      }
      for (Path file : List.of(archive, export, unrelated)) {
        assertThat(file).as("kept").exists();
      }
      assertThat(server.awaitLog(Duration.ofSeconds(5), "temporary file(s) left in"))
          .contains(".entry-4711.tmp");
    }
  }

  /** The application may finish starting after the server says it is ready. */
  private static void awaitReady(SecondServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Api.anonymous().get(server.serverUrl() + "/health/ready").status() == 200) {
          return;
        }
      } catch (java.io.UncheckedIOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the restarted server did not become ready");
  }

  private static Path exportOf(Api.Client officer, String base, String user, Path exports)
      throws InterruptedException {
    Api.Reply started = officer.post(base + "/api/privacy/users/" + user + "/exports", "{}");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String exportId = started.object().getString("exportId");
    Path file = exports.resolve("export-" + exportId + ".zip");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject status = officer.get(base + "/api/privacy/exports/" + exportId).object();
      assertThat(status.getString("status"))
          .as(status.toString())
          .isIn("STARTING", "STARTED", "COMPLETED");
      if (status.getString("status").equals("COMPLETED")) {
        assertThat(file).exists();
        return file;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("export " + exportId + " did not complete");
  }

  private static Path backupIn(Api.Client operator, String base, Path backups)
      throws InterruptedException {
    Api.Reply started = operator.post(base + "/api/backups", "");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long execution = started.object().getJsonNumber("executionId").longValue();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject job = operator.get(base + "/api/backups/jobs/" + execution).object();
      if (job.getString("status").equals("COMPLETED")) {
        return backups.resolve(job.getJsonObject("result").getString("backupId") + ".zip");
      }
      assertThat(job.getString("status")).isNotIn("FAILED", "STOPPED", "ABANDONED");
      Thread.sleep(200);
    }
    throw new IllegalStateException("backup " + execution + " did not complete");
  }

  private static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
