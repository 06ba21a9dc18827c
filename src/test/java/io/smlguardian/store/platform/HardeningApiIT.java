package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.TestTokens;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What an internal API owes its callers at the edges: size limits, and no internals in errors. */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class HardeningApiIT {

  /** A JSON array of records just over 1 MiB: large, but otherwise valid. */
  private static String oversized() {
    StringBuilder body = new StringBuilder("[");
    String record =
        "{\"userId\":\"big\",\"type\":\"t\",\"strength\":0.5,\"timestamp\":\"2026-01-01T00:00:00Z\","
            + "\"metadata\":{\"pad\":\""
            + "x".repeat(1000)
            + "\"}}";
    while (body.length() < 1_100_000) {
      body.append(body.length() > 1 ? "," : "").append(record);
    }
    return body.append("]").toString();
  }

  @Test
  void anOversizedBodyIsRefusedWith413AndStoresNothing() {
    long before = Database.rows("memories");

    Api.Reply reply =
        Api.send("POST", "/api/collections/memories", "application/json", oversized());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.object().getString("detail")).contains("MAX_REQUEST_BYTES");
    assertThat(Database.rows("memories")).isEqualTo(before);
  }

  @Test
  void anOversizedChunkedBodyWithoutLengthIsRefusedToo() throws Exception {
    byte[] body = oversized().getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(Api.BASE_URL + "/api/collections/memories"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TestTokens.token("it-service", "service"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
  }

  @Test
  void errorsNeverCarryStackTracesOrServerInternals() {
    for (Api.Reply reply :
        java.util.List.of(
            Api.send("POST", "/api/collections/memories", "application/json", "{\"type\":"),
            Api.send("POST", "/api/atomic", "application/json", "[]"),
            Api.get("/api/collections/memories?strength=gt.x"),
            Api.send("DELETE", "/api/collections", null, null))) {
      assertThat(reply.status()).isBetween(400, 499);
      assertThat(reply.raw().body())
          .doesNotContain("\tat ")
          .doesNotContain("Exception")
          .doesNotContain("io.smlguardian");
    }
  }
}
