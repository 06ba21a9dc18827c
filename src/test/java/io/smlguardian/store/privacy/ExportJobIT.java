package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** Large exports as the user-export batch job: started, watched, and fetched when done. */
class ExportJobIT {

  private static final String TOKEN = TestTokens.token("it-job-officer", "privacy-officer");
  private static final Api.Client OFFICER = Api.as(TOKEN);

  @Test
  void anExportJobWritesTheUsersZipWhichCanBeFetchedWhenDone() throws Exception {
    String user = "job-export-" + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      if (!collection.equals("metrics")) {
        Api.post("/api/collections/" + collection, Samples.record(collection, user));
      }
    }

    Api.Reply started = OFFICER.post("/api/privacy/users/" + user + "/exports", "{}");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long execution = started.object().getJsonNumber("executionId").longValue();
    JsonObject status = awaitCompletion(execution);
    assertThat(status.getString("userId")).isEqualTo(user);
    assertThat(status.getString("file")).endsWith("/api/privacy/exports/" + execution + "/file");

    HttpResponse<byte[]> file =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(Api.BASE_URL + status.getString("file")))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    Map<String, String> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file.body()))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    JsonObject manifest =
        Json.createReader(new StringReader(entries.get("manifest.json"))).readObject();
    assertThat(manifest.getString("userId")).isEqualTo(user);
    assertThat(manifest.getJsonObject("collections").getJsonObject("memories").getInt("records"))
        .isEqualTo(1);
    assertThat(entries.get("memories.jsonl")).contains(user).contains("calm-after-walk");
  }

  @Test
  void onlyPrivacyOfficersStartOrFetchExports() {
    assertThat(Api.post("/api/privacy/users/someone/exports", "{}").status()).isEqualTo(403);
    assertThat(OFFICER.get("/api/privacy/exports/987654321").status()).isEqualTo(404);
  }

  private static JsonObject awaitCompletion(long execution) throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      JsonObject status = OFFICER.get("/api/privacy/exports/" + execution).object();
      String state = status.getString("status");
      if (state.equals("COMPLETED")) {
        return status;
      }
      assertThat(state).as(status.toString()).isIn("STARTING", "STARTED");
      Thread.sleep(250);
    }
    throw new AssertionError("export " + execution + " did not complete in 60 s");
  }
}
