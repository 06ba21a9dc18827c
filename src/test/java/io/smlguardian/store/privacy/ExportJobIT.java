package io.smlguardian.store.privacy;

import static io.smlguardian.store.privacy.ExportDownloads.EXPORT_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Large exports as the user-export batch job: started, watched, and fetched when done; each file
 * bound to its user, served only when complete and only to privacy officers, every download
 * audited, and deleted with its user.
 */
class ExportJobIT {

  private static final String TOKEN = TestTokens.token("it-job-officer", "privacy-officer");
  private static final Api.Client OFFICER = Api.as(TOKEN);
  private static final Api.Client AUDITOR = Api.as(TestTokens.token("it-job-auditor", "auditor"));

  @Test
  void anExportJobWritesTheUsersZipWhichCanBeFetchedWhenDone() throws Exception {
    String user = seededUser("job-export-");

    JsonObject started = ExportDownloads.start(OFFICER, "", user);
    String exportId = started.getString("exportId");
    assertThat(UUID.fromString(exportId)).isNotNull();
    JsonObject status = ExportDownloads.awaitCompletion(OFFICER, "", exportId);
    assertThat(status.getString("userId")).isEqualTo(user);
    assertThat(status.getString("file")).isEqualTo("/api/privacy/exports/" + exportId + "/file");

    HttpResponse<byte[]> file =
        ExportDownloads.fetch(TOKEN, Api.BASE_URL + status.getString("file"));
    assertThat(file.statusCode()).isEqualTo(200);
    Map<String, String> entries = ExportDownloads.entries(file.body());
    JsonObject manifest = ExportDownloads.manifest(entries);
    assertThat(manifest.getString("userId")).isEqualTo(user);
    assertThat(manifest.getJsonObject("collections").getJsonObject("memories").getInt("records"))
        .isEqualTo(1);
    assertThat(entries.get("memories.jsonl")).contains(user).contains("calm-after-walk");
    // The file is bound to the user beside it, under the export's id.
    assertThat(Files.readString(EXPORT_DIR.resolve("export-" + exportId + ".json")))
        .contains("\"userId\":\"" + user + "\"");
  }

  @Test
  void everyDownloadIsRecordedInTheAuditTrail() throws Exception {
    String user = seededUser("job-audit-");
    String exportId = ExportDownloads.start(OFFICER, "", user).getString("exportId");
    ExportDownloads.awaitCompletion(OFFICER, "", exportId);
    assertThat(downloadsRecorded(user, exportId)).isZero();

    for (int i = 0; i < 2; i++) {
      String url = Api.BASE_URL + "/api/privacy/exports/" + exportId + "/file";
      assertThat(ExportDownloads.fetch(TOKEN, url).statusCode()).isEqualTo(200);
    }

    assertThat(downloadsRecorded(user, exportId)).isEqualTo(2);
  }

  @Test
  void onlyPrivacyOfficersStartOrFetchExports() throws Exception {
    assertThat(Api.post("/api/privacy/users/someone/exports", "{}").status()).isEqualTo(403);
    assertThat(OFFICER.get("/api/privacy/exports/987654321").status()).isEqualTo(404);
    assertThat(OFFICER.get("/api/privacy/exports/" + UUID.randomUUID()).status()).isEqualTo(404);

    String user = seededUser("job-roles-");
    String exportId = ExportDownloads.start(OFFICER, "", user).getString("exportId");
    ExportDownloads.awaitCompletion(OFFICER, "", exportId);
    for (String role : List.of("user", "service", "auditor", "operator")) {
      String token = TestTokens.token(user, role); // a user asking for their own export too
      String path = "/api/privacy/exports/" + exportId;
      assertThat(Api.as(token).get(path).status()).as(role).isEqualTo(403);
      assertThat(ExportDownloads.fetch(token, Api.BASE_URL + path + "/file").statusCode())
          .as(role)
          .isEqualTo(403);
    }
    assertThat(downloadsRecorded(user, exportId)).isZero();
  }

  /**
   * An export whose binding does not say it is complete is not served, even with a ZIP of its name
   * in the directory (as a job writing it, or a stopped server, would leave).
   */
  @Test
  void anExportThatHasNotCompletedIsRefused() throws Exception {
    UUID exportId = UUID.randomUUID();
    Path binding = EXPORT_DIR.resolve("export-" + exportId + ".json");
    Path zip = EXPORT_DIR.resolve("export-" + exportId + ".zip");
    Files.writeString(
        binding,
        Json.createObjectBuilder()
            .add("exportId", exportId.toString())
            .add("userId", "job-incomplete-" + exportId)
            .add("requestedBy", "it-job-officer")
            .add("requestedAt", Instant.now().toString())
            .build()
            .toString());
    Files.write(zip, new byte[] {'P', 'K'});
    try {
      Api.Reply status = OFFICER.get("/api/privacy/exports/" + exportId);
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.object().getString("status")).isNotEqualTo("COMPLETED");
      assertThat(status.object().containsKey("file")).isFalse();

      HttpResponse<byte[]> file =
          ExportDownloads.fetch(TOKEN, Api.BASE_URL + "/api/privacy/exports/" + exportId + "/file");
      assertThat(file.statusCode()).isEqualTo(409);
      assertThat(new String(file.body())).contains("has not completed");
    } finally {
      Files.deleteIfExists(zip);
      Files.deleteIfExists(binding);
    }
  }

  @Test
  void theExportFilesOfAnErasedUserAreDeleted() throws Exception {
    String user = seededUser("job-erased-");
    String other = seededUser("job-kept-");
    String exportId = ExportDownloads.start(OFFICER, "", user).getString("exportId");
    String otherId = ExportDownloads.start(OFFICER, "", other).getString("exportId");
    ExportDownloads.awaitCompletion(OFFICER, "", exportId);
    ExportDownloads.awaitCompletion(OFFICER, "", otherId);
    assertThat(EXPORT_DIR.resolve("export-" + exportId + ".zip")).exists();

    assertThat(OFFICER.delete("/api/privacy/users/" + user, null).status()).isEqualTo(200);

    assertThat(OFFICER.get("/api/privacy/exports/" + exportId).status()).isEqualTo(404);
    assertThat(
            ExportDownloads.fetch(
                    TOKEN, Api.BASE_URL + "/api/privacy/exports/" + exportId + "/file")
                .statusCode())
        .isEqualTo(404);
    assertThat(EXPORT_DIR.resolve("export-" + exportId + ".zip")).doesNotExist();
    assertThat(EXPORT_DIR.resolve("export-" + exportId + ".json")).doesNotExist();
    // Another user's export stays.
    assertThat(EXPORT_DIR.resolve("export-" + otherId + ".zip")).exists();
    assertThat(
            ExportDownloads.fetch(TOKEN, Api.BASE_URL + "/api/privacy/exports/" + otherId + "/file")
                .statusCode())
        .isEqualTo(200);
  }

  /** A user with one record in every collection the service writes (not metrics: no owner). */
  private static String seededUser(String prefix) {
    String user = prefix + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      if (!collection.equals("metrics")) {
        Api.Reply reply =
            Api.post("/api/collections/" + collection, Samples.record(collection, user));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
      }
    }
    return user;
  }

  /** The audit entries of the export's downloads. */
  private static long downloadsRecorded(String user, String exportId) {
    Api.Reply count =
        AUDITOR.get(
            "/api/collections/access_logs/count?userId=eq."
                + Api.q(user)
                + "&operation=eq."
                + Api.q("export file " + exportId + " downloaded"));
    assertThat(count.status()).as(count.toString()).isEqualTo(200);
    return count.object().getJsonNumber("count").longValue();
  }
}
