package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Api.Client;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Refusals are expected outcomes, not incidents: a 400, 403, 404, 409 or 412 answered from inside a
 * transaction writes no FFDC incident to the server's {@code logs/ffdc} (Open Liberty writes one
 * for every exception that leaves a transactional method). Each kind is provoked here, on every
 * backend, and then no incident in the server's directory, from this test or any test before it in
 * the run, may name a refusal, nor a file not found (a path the container's file server had to look
 * for). The refused writes still roll back: the stale update changes nothing.
 */
class RefusalIncidentsIT {

  private static final Path FFDC =
      Path.of(System.getProperty("guardian.backupDir")).getParent().resolve("logs/ffdc");

  /** Every refusal of the store: the subclasses of {@code problem.Refusal}. */
  private static final List<String> REFUSALS =
      List.of(
          "InvalidRequestException",
          "RecordNotFoundException",
          "UnknownCollectionException",
          "VersionConflictException",
          "AccessDeniedException",
          "LegalHoldException",
          "UnreadableDataException",
          "AtomicWritesUnsupportedException");

  @Test
  void refusalsAnsweredFromInsideTransactionsWriteNoIncident() throws IOException {
    String owner = "refusals-" + UUID.randomUUID();
    String memories = "/api/collections/memories";
    var created = Api.post(memories, Samples.record("memories", owner));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.object().getString("id");
    String etag = created.header("ETag");

    assertThat(Api.get(memories + "/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(Api.get("/api/collections/nothing/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(Api.post(memories, Json.createObjectBuilder().add("userId", owner).build()).status())
        .isEqualTo(400);
    var stale = Api.SERVICE.patch(memories + "/" + id, "{\"type\":\"changed\"}", "\"999\"");
    assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
    assertThat(Api.get(memories + "/" + id).object().getString("type"))
        .as("the refused update changed nothing")
        .isEqualTo(created.object().getString("type"));
    Client stranger = Api.as(TestTokens.token("stranger-" + UUID.randomUUID(), "user"));
    assertThat(stranger.get(memories + "/" + id).status()).isEqualTo(404);
    assertThat(stranger.post(memories, Samples.record("memories", owner)).status()).isEqualTo(403);

    Client officer = Api.as(TestTokens.token("it-refusals-officer", "privacy-officer"));
    String user = "/api/privacy/users/" + Api.q(owner);
    assertThat(officer.send("PUT", user + "/hold", "application/json", "{\"reason\":\"case 7\"}"))
        .extracting(Api.Reply::status)
        .isEqualTo(200);
    assertThat(officer.delete(user, null).status()).isEqualTo(409);
    assertThat(officer.delete(user + "/hold", null).status()).isEqualTo(204);
    assertThat(Api.delete(memories + "/" + id, etag).status()).isEqualTo(204);
    // A path that names no file of the WAR (the container's file server): 404, no incident.
    for (String missing : new String[] {"/nothing", "/console/missing.js"}) {
      assertThat(Api.get(missing).status()).as(missing).isEqualTo(404);
    }

    assertThat(incidentsNamingARefusal()).isEmpty();
  }

  /** The server's FFDC incident files whose exception is one of the store's refusals. */
  private static List<String> incidentsNamingARefusal() throws IOException {
    if (!Files.isDirectory(FFDC)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(FFDC)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("ffdc_"))
          .flatMap(
              file -> {
                try {
                  List<String> lines = Files.readAllLines(file);
                  // A missing file of this WAR, not of Liberty's own web modules (/health/x),
                  // whose HTTP monitor filter rethrows it (Open Liberty issue 33079).
                  boolean throughTheWar =
                      lines.stream().anyMatch(line -> line.contains("io.smlguardian.store."));
                  return lines.stream()
                      .filter(
                          line ->
                              line.startsWith("Exception = ")
                                      && REFUSALS.stream().anyMatch(line::contains)
                                  || throughTheWar
                                      && line.startsWith("Stack Dump = ")
                                      && line.contains("FileNotFoundException"))
                      .map(line -> file.getFileName() + ": " + line);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
