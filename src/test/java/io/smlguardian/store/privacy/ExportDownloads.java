package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Export jobs as the tests drive them: started, awaited, their ZIP fetched and opened. */
final class ExportDownloads {

  /** The export directory of the server under test: beside its backup directory. */
  static final Path EXPORT_DIR =
      Path.of(System.getProperty("guardian.backupDir", "target/backups")).resolveSibling("exports");

  private ExportDownloads() {}

  /** Starts an export of the user on the server at {@code baseUrl}; returns its state. */
  static JsonObject start(Api.Client officer, String baseUrl, String user) {
    Api.Reply started = officer.post(baseUrl + "/api/privacy/users/" + user + "/exports", "{}");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return started.object();
  }

  /** The export's state once it has completed (at most 60 s). */
  static JsonObject awaitCompletion(Api.Client officer, String baseUrl, String exportId)
      throws InterruptedException {
    for (int i = 0; i < 240; i++) {
      Api.Reply reply = officer.get(baseUrl + "/api/privacy/exports/" + exportId);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      JsonObject status = reply.object();
      String state = status.getString("status");
      if (state.equals("COMPLETED")) {
        return status;
      }
      assertThat(state).as(status.toString()).isIn("STARTING", "STARTED");
      Thread.sleep(250);
    }
    throw new AssertionError("export " + exportId + " did not complete in 60 s");
  }

  /** The answer to a GET of the URL with the token, as bytes. */
  static HttpResponse<byte[]> fetch(String token, String url)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The entries of a ZIP, by name, as text. */
  static Map<String, String> entries(byte[] zipBytes) throws IOException {
    Map<String, String> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  /** The manifest of an export ZIP. */
  static JsonObject manifest(Map<String, String> entries) {
    return Json.createReader(new StringReader(entries.get("manifest.json"))).readObject();
  }
}
