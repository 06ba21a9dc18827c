package io.smlguardian.store.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The right of access and legal holds: an export holds exactly the user's records, in clear, in
 * both formats; a hold blocks erasure until released.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class ExportApiIT {

  private static final String OFFICER_TOKEN =
      TestTokens.token("it-export-officer", "privacy-officer");
  private static final Api.Client OFFICER = Api.as(OFFICER_TOKEN);
  private static final List<String> SEEDED =
      Samples.COLLECTIONS.stream()
          .filter(c -> !c.equals("metrics") && !c.equals("access_logs"))
          .toList();
  private static final String USER = "export-" + UUID.randomUUID();
  private static final Map<String, Set<String>> IDS = new HashMap<>();

  @BeforeAll
  static void seed() {
    String other = "other-" + UUID.randomUUID();
    for (String collection : SEEDED) {
      for (int i = 0; i < 3; i++) {
        String id =
            Api.post("/api/collections/" + collection, Samples.record(collection, USER))
                .object()
                .getString("id");
        IDS.computeIfAbsent(collection, c -> new java.util.HashSet<>()).add(id);
      }
      Api.post("/api/collections/" + collection, Samples.record(collection, other));
    }
  }

  private static Set<String> ids(jakarta.json.JsonArray records) {
    return records.stream()
        .map(JsonValue::asJsonObject)
        .peek(r -> assertThat(r.getString("userId")).isEqualTo(USER))
        .map(r -> r.getString("id"))
        .collect(Collectors.toSet());
  }

  @Test
  void theJsonExportHoldsExactlyTheUsersRecordsInClear() {
    Api.Reply reply = OFFICER.get("/api/privacy/users/" + USER + "/export");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonObject export = reply.object();
    assertThat(export.getString("format")).isEqualTo("guardian-store-export/1");
    JsonObject collections = export.getJsonObject("collections");
    for (String collection : SEEDED) {
      assertThat(ids(collections.getJsonArray(collection)))
          .as(collection)
          .isEqualTo(IDS.get(collection));
    }
    // Each record as the API shows it, field for field and value for value.
    for (String collection : SEEDED) {
      for (JsonValue record : collections.getJsonArray(collection)) {
        String id = record.asJsonObject().getString("id");
        assertThat(record)
            .as(collection + " " + id)
            .isEqualTo(Api.get("/api/collections/" + collection + "/" + id).object());
      }
    }
    JsonObject memory = collections.getJsonArray("memories").getJsonObject(0);
    assertThat(memory.get("patterns")).isEqualTo(Samples.record("memories", USER).get("patterns"));
    assertThat(collections.containsKey("access_logs")).isTrue();
    assertThat(collections.containsKey("metrics")).isFalse();
  }

  @Test
  void theZipExportHasAFilePerCollectionAndAManifestWithCountsAndChecksums() throws Exception {
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            Api.BASE_URL + "/api/privacy/users/" + USER + "/export?format=zip"))
                    .header("Authorization", "Bearer " + OFFICER_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/zip");

    Map<String, byte[]> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        files.put(entry.getName(), zip.readAllBytes());
      }
    }
    JsonObject manifest =
        Json.createReader(
                new StringReader(new String(files.get("manifest.json"), StandardCharsets.UTF_8)))
            .readObject();
    assertThat(manifest.getString("userId")).isEqualTo(USER);
    for (String collection : SEEDED) {
      JsonObject entry = manifest.getJsonObject("collections").getJsonObject(collection);
      byte[] content = files.get(entry.getString("file"));
      assertThat(entry.getInt("records")).isEqualTo(3);
      assertThat(new String(content, StandardCharsets.UTF_8).lines().count()).isEqualTo(3);
      assertThat(entry.getString("sha256"))
          .isEqualTo(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    }
  }

  @Test
  void everyExportIsInTheAuditTrailAndOnlyPrivacyOfficersMayExport() {
    long before = exports();
    assertThat(OFFICER.get("/api/privacy/users/" + USER + "/export").status()).isEqualTo(200);
    // Recorded when it starts, and again with what it held when it ends.
    assertThat(exports()).isEqualTo(before + 2);

    for (String role : List.of("user", "service", "auditor", "operator")) {
      assertThat(
              Api.as(TestTokens.token(USER, role))
                  .get("/api/privacy/users/" + USER + "/export")
                  .status())
          .as(role)
          .isEqualTo(403);
    }
    assertThat(OFFICER.get("/api/privacy/users/" + USER + "/export?format=xml").status())
        .isEqualTo(400);
  }

  private static long exports() {
    return (Long)
        Database.single(
            "SELECT count(*) FROM access_logs WHERE user_id = ? AND access_type = 'export'", USER);
  }

  @Test
  void aLegalHoldBlocksErasureUntilReleased() {
    String held = "held-" + UUID.randomUUID();
    Api.post("/api/collections/memories", Samples.record("memories", held));
    String holdPath = "/api/privacy/users/" + held + "/hold";

    assertThat(OFFICER.send("PUT", holdPath, "application/json", "{}").status()).isEqualTo(400);
    Api.Reply placed =
        OFFICER.send("PUT", holdPath, "application/json", "{\"reason\":\"litigation 42\"}");
    assertThat(placed.status()).as(placed.toString()).isEqualTo(200);
    assertThat(placed.object().getString("placedBy")).isEqualTo("it-export-officer");

    Api.Reply refused = OFFICER.delete("/api/privacy/users/" + held, null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.object().getString("detail"))
        .contains("legal hold")
        .contains("litigation 42");
    assertThat(Database.single("SELECT count(*) FROM memories WHERE user_id = ?", held))
        .isEqualTo(1L);
    assertThat(
            Api.as(TestTokens.token("x", "service"))
                .send("PUT", holdPath, "application/json", "{\"reason\":\"x\"}")
                .status())
        .isEqualTo(403);

    assertThat(OFFICER.delete(holdPath, null).status()).isEqualTo(204);
    assertThat(OFFICER.delete(holdPath, null).status()).isEqualTo(404);
    assertThat(OFFICER.delete("/api/privacy/users/" + held, null).status()).isEqualTo(200);
    assertThat(Database.single("SELECT count(*) FROM memories WHERE user_id = ?", held))
        .isEqualTo(0L);
  }
}
