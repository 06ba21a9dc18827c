package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An operator of one server's backups, over HTTP: take a backup and wait for it, restore and wait,
 * download and upload archives. Waiting polls the job until it ends (a guard of some minutes stops
 * a hung job from hanging the build; no test asserts on time).
 */
final class BackupClient {

  static final Set<String> ENDED = Set.of("COMPLETED", "STOPPED", "FAILED", "ABANDONED");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final String baseUrl;
  private final String operatorName = "it-operator-" + UUID.randomUUID();
  private final Api.Client operator;
  private final Api.Client service;

  BackupClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.operator = Api.as(TestTokens.token(operatorName, "operator"));
    this.service = Api.as(TestTokens.token("it-service-" + UUID.randomUUID(), "service"));
  }

  /** The server the tests run against. */
  static BackupClient ofServerUnderTest() {
    return new BackupClient(Api.BASE_URL);
  }

  /** The operator's name: the principal of the audit entries of its requests. */
  String operatorName() {
    return operatorName;
  }

  String baseUrl() {
    return baseUrl;
  }

  Api.Reply get(String path) {
    return operator.get(baseUrl + path);
  }

  Api.Reply post(String path) {
    return operator.post(baseUrl + path, "");
  }

  Api.Reply delete(String path) {
    return operator.delete(baseUrl + path, null);
  }

  /** A client of the same server with a service's token, for records. */
  Api.Client service() {
    return service;
  }

  /** Takes a backup and waits for it; returns its result: backupId, size, timestamp, counts. */
  JsonObject backUp() {
    Api.Reply started = post("/api/backups");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    assertThat(started.header("Location")).contains("/api/backups/jobs/");
    long executionId = started.object().getJsonNumber("executionId").longValue();
    JsonObject job = await(executionId);
    assertThat(job.getString("status")).as(job.toString()).isEqualTo("COMPLETED");
    // The job's status and its step's result are two reads of the batch runtime's store, and in
    // one run of the suite the status was seen COMPLETED before the result: ask again, briefly.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!job.containsKey("result") && System.nanoTime() < deadline) {
      sleep(200);
      job = get("/api/backups/jobs/" + executionId).object();
    }
    assertThat(job.containsKey("result")).as(job.toString()).isTrue();
    return job.getJsonObject("result");
  }

  /** Starts a restore; the reply is the job (202) or why it was refused. */
  Api.Reply startRestore(String backupId, boolean replace) {
    return startRestore(backupId, replace, false);
  }

  /**
   * Starts a restore that may roll the audit ledger back (force) when the archive's ends before the
   * server's latest digest.
   */
  Api.Reply startRestore(String backupId, boolean replace, boolean force) {
    return startRestore(backupId, replace, force, false);
  }

  /** A restore that may also take an unencrypted archive on a server that encrypts its own. */
  Api.Reply startRestore(
      String backupId, boolean replace, boolean force, boolean allowUnencrypted) {
    return post(
        "/api/backups/"
            + backupId
            + "/restore?replace="
            + replace
            + (force ? "&force=true" : "")
            + (allowUnencrypted ? "&allowUnencrypted=true" : ""));
  }

  /** Restores and waits; returns the ended job. */
  JsonObject restore(String backupId, boolean replace) {
    return restore(backupId, replace, false);
  }

  JsonObject restore(String backupId, boolean replace, boolean force) {
    return restore(backupId, replace, force, false);
  }

  JsonObject restore(String backupId, boolean replace, boolean force, boolean allowUnencrypted) {
    Api.Reply started = startRestore(backupId, replace, force, allowUnencrypted);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    return await(started.object().getJsonNumber("executionId").longValue());
  }

  JsonObject await(long executionId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      Api.Reply reply = get("/api/backups/jobs/" + executionId);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      if (ENDED.contains(reply.object().getString("status"))) {
        return reply.object();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + executionId + " did not end: " + reply);
      }
      sleep(200);
    }
  }

  JsonObject verify(String backupId) {
    Api.Reply reply = post("/api/backups/" + backupId + "/verification");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object();
  }

  byte[] download(String backupId) {
    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/api/backups/" + backupId + "/archive"))
                .GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
    return response.body();
  }

  Api.Reply upload(String backupId, byte[] archive) {
    return upload(backupId, archive, false);
  }

  /**
   * Uploads an archive; with allowUnencrypted, a server that encrypts its backups takes a plain one
   * too (and records that in its audit trail).
   */
  Api.Reply upload(String backupId, byte[] archive, boolean allowUnencrypted) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl
                            + "/api/backups/"
                            + backupId
                            + "/archive"
                            + (allowUnencrypted ? "?allowUnencrypted=true" : "")))
                .header("Content-Type", "application/zip")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)),
            HttpResponse.BodyHandlers.ofString());
    return new Api.Reply(response.statusCode(), response);
  }

  /** Every record of a user in a collection, as the API shows it, by id. */
  List<JsonObject> recordsOf(String collection, String userId) {
    List<JsonObject> records = new ArrayList<>();
    for (int offset = 0; ; offset += 1000) {
      Api.Reply reply =
          service.get(
              baseUrl
                  + "/api/collections/"
                  + collection
                  + "?userId=eq."
                  + Api.q(userId)
                  + "&order=id&limit=1000&offset="
                  + offset);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      reply.items().forEach(item -> records.add(item.asJsonObject()));
      if (reply.items().size() < 1000) {
        return records;
      }
    }
  }

  /** How many records the collection holds, matching the filters (counts are not audited). */
  long count(String collection, String filters) {
    Api.Reply reply = service.get(baseUrl + "/api/collections/" + collection + "/count?" + filters);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.object().getJsonNumber("count").longValue();
  }

  JsonObject insert(String collection, JsonObject record) {
    Api.Reply reply = service.post(baseUrl + "/api/collections/" + collection, record);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return reply.object();
  }

  static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  private static <T> HttpResponse<T> send(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return HTTP.send(
          request
              .header(
                  "Authorization",
                  "Bearer " + TestTokens.token("it-operator-" + UUID.randomUUID(), "operator"))
              .timeout(Duration.ofMinutes(5))
              .build(),
          body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
