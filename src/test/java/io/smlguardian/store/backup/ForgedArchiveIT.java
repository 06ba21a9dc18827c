package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.ArchiveForgery;
import io.smlguardian.store.backup.archive.ArchiveMac;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Archives that the server did not write as they are: a manifest edited without the server's key,
 * an entry taken from another of its archives, and manifests that ask for sizes no archive needs
 * (blocks of 0 bytes, segments of a terabyte, a line of 17 MiB). Each is refused before anything is
 * kept or restored, with a problem that says why; the crafted sizes within a second (the client
 * gives up after one), even when the manifest is sealed with the right key. And an unencrypted
 * archive on the server that encrypts its backups (the build's memory server) is refused unless the
 * operator allows it, which the audit trail then records.
 *
 * <p>Runs on every backend's server, with its own archives; the crafted ones are sealed with the
 * build's audit key, as the servers share it.
 */
class ForgedArchiveIT {

  private static final BackupClient SERVER = BackupClient.ofServerUnderTest();
  private static final Path BACKUP_DIR = Path.of(System.getProperty("guardian.backupDir"));
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String OPERATOR_TOKEN =
      TestTokens.token("it-forger-" + UUID.randomUUID(), "operator");

  @Test
  void aManifestEditedWithoutTheKeyIsRefusedChangingNothing() throws IOException {
    SERVER.insert("interactions", Samples.record("interactions", "forged-" + UUID.randomUUID()));
    String id = SERVER.backUp().getString("backupId");
    byte[] archive = SERVER.download(id);
    // Claims one interaction less: every checksum still holds, the seal does not.
    byte[] edited =
        ArchiveForgery.of(archive)
            .editManifest(
                m -> {
                  long records = entry(m, "interactions").getJsonNumber("records").longValue();
                  return ArchiveForgery.withEntryMember(
                      m, "interactions", "records", Json.createValue(records - 1));
                })
            .bytes();
    Files.write(BACKUP_DIR.resolve(id + ".zip"), edited);
    Map<String, Long> before = counts();

    Api.Reply restore = SERVER.startRestore(id, true);
    JsonObject verification = SERVER.verify(id);

    assertThat(restore.status()).as(restore.toString()).isEqualTo(422);
    assertThat(restore.contentType()).isEqualTo("application/problem+json");
    assertThat(restore.object().getString("detail")).contains("its manifest fails authentication");
    assertThat(verification.getBoolean("valid")).isFalse();
    assertThat(verification.getJsonArray("problems").getString(0))
        .contains("its manifest fails authentication");
    assertThat(counts()).isEqualTo(before);

    // Uploaded: refused, and not kept. The archive as written is taken back.
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
    Api.Reply upload = SERVER.upload(id, edited);
    assertThat(upload.status()).as(upload.toString()).isEqualTo(400);
    assertThat(upload.contentType()).isEqualTo("application/problem+json");
    assertThat(upload.object().getString("detail")).contains("its manifest fails authentication");
    assertThat(SERVER.get("/api/backups/" + id).status()).isEqualTo(404);
    assertThat(SERVER.upload(id, archive).status()).isEqualTo(201);
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
  }

  @Test
  void anEntryFromAnotherArchiveIsRefused() throws IOException {
    String user = "swapped-" + UUID.randomUUID();
    SERVER.insert("interactions", Samples.record("interactions", user));
    String id = SERVER.backUp().getString("backupId");
    SERVER.insert("interactions", Samples.record("interactions", user));
    String otherId = SERVER.backUp().getString("backupId");
    byte[] archive = SERVER.download(id);
    byte[] other = SERVER.download(otherId);
    String name = entry(ArchiveForgery.of(archive).manifest(), "interactions").getString("name");
    byte[] foreign = ArchiveForgery.of(other).entry(name);
    assertThat(foreign).isNotEqualTo(ArchiveForgery.of(archive).entry(name));
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);

    // As it is: not the entry the manifest lists (another size, or other bytes).
    Api.Reply swapped =
        SERVER.upload(id, ArchiveForgery.of(archive).replace(name, foreign).bytes());
    // With the manifest made to list the foreign entry: the seal fails.
    Api.Reply described =
        SERVER.upload(
            id, ArchiveForgery.of(archive).replace(name, foreign).describeEntries().bytes());

    assertThat(swapped.status()).as(swapped.toString()).isEqualTo(400);
    assertThat(swapped.object().getString("detail")).contains(name);
    assertThat(described.status()).as(described.toString()).isEqualTo(400);
    assertThat(described.object().getString("detail"))
        .contains("its manifest fails authentication");
    assertThat(SERVER.get("/api/backups/" + id).status()).isEqualTo(404);
    assertThat(SERVER.delete("/api/backups/" + otherId).status()).isEqualTo(204);
  }

  @Test
  void craftedSizesAreRefusedWithin1SecondEvenUnderTheRightKey() throws IOException {
    SERVER.insert("sessions", Samples.record("sessions", "crafted-" + UUID.randomUUID()));
    String id = SERVER.backUp().getString("backupId");
    byte[] archive = SERVER.download(id);
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
    ArchiveMac key = ArchiveForgery.serversKey();
    JsonObject terabyteSegments =
        Json.createObjectBuilder()
            .add("algorithm", ArchiveForgery.ENCRYPTION_ALGORITHM)
            .add("segmentBytes", 1L << 40)
            .add("keyCheck", "0000000000000000")
            .build();
    Map<String, byte[]> crafted = new LinkedHashMap<>();
    crafted.put(
        "blockBytes 0",
        ArchiveForgery.of(archive)
            .editManifest(m -> Json.createObjectBuilder(m).add("blockBytes", 0).build())
            .sealWith(key)
            .bytes());
    crafted.put(
        "segmentBytes " + (1L << 40),
        ArchiveForgery.of(archive)
            .editManifest(
                m -> Json.createObjectBuilder(m).add("encryption", terabyteSegments).build())
            .sealWith(key)
            .bytes());
    // A record line of 17 MiB (gzip makes it 17 KiB), its length said as it is...
    int line = 17 << 20;
    crafted.put("longestLine " + line, withOneLine(archive, line, line, key));
    // ... or understated: reading stops where the line passes what the manifest says.
    crafted.put(
        "record 1 is longer than the 100 bytes its manifest allows a line",
        withOneLine(archive, line, 100, key));

    for (var craft : crafted.entrySet()) {
      Api.Reply reply = uploadWithin1Second(id, craft.getValue());

      assertThat(reply.status()).as(craft.getKey() + ": " + reply).isEqualTo(400);
      assertThat(reply.contentType()).isEqualTo("application/problem+json");
      assertThat(reply.object().getString("detail")).contains(craft.getKey());
      assertThat(SERVER.get("/api/backups/" + id).status()).isEqualTo(404);
    }
  }

  @Test
  void anUnencryptedArchiveIsRefusedWhereBackupsAreEncryptedUnlessAllowedAndAudited()
      throws IOException {
    Assumptions.assumeFalse(
        Boolean.getBoolean("guardian.backends.skip"), "the memory server is not up");
    BackupClient encrypting = new BackupClient(System.getProperty("guardian.memory.baseUrl"));
    boolean encryptingIsUnderTest = encrypting.baseUrl().equals(SERVER.baseUrl());
    // A plain archive: this server's, or, where this server encrypts, the SQLite server's.
    BackupClient plain =
        encryptingIsUnderTest
            ? new BackupClient(System.getProperty("guardian.sqlite.baseUrl"))
            : SERVER;
    plain.insert("sessions", Samples.record("sessions", "plain-" + UUID.randomUUID()));
    JsonObject backup = plain.backUp();
    String id = backup.getString("backupId");
    assertThat(backup.getBoolean("encrypted")).isFalse();
    byte[] archive = plain.download(id);

    Api.Reply refused = encrypting.upload(id, archive);
    Api.Reply allowed = encrypting.upload(id, archive, true);
    Api.Reply restoreRefused = encrypting.startRestore(id, true, true);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.object().getString("detail"))
        .contains("is not encrypted, and this server encrypts its backups")
        .contains("allowUnencrypted=true");
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
    assertThat(allowed.object().getBoolean("encrypted")).isFalse();
    assertThat(audited(encrypting, "backup", "unencrypted backup " + id)).isEqualTo(1);
    assertThat(restoreRefused.status()).as(restoreRefused.toString()).isEqualTo(409);
    assertThat(restoreRefused.object().getString("detail"))
        .contains("is not encrypted, and this server encrypts its backups");
    assertThat(audited(encrypting, "restore", "unencrypted restore " + id)).isZero();

    if (encryptingIsUnderTest) {
      // Restoring replaces this server's store (as BackupApiIT's restores do): only here.
      JsonObject restore = encrypting.restore(id, true, true, true);
      assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
      assertThat(audited(encrypting, "restore", "unencrypted restore " + id)).isEqualTo(1);
    }
    assertThat(encrypting.delete("/api/backups/" + id).status()).isEqualTo(204);
    assertThat(plain.delete("/api/backups/" + id).status()).isEqualTo(204);
  }

  /** How many audit entries of that type and operation the server holds. */
  private static long audited(BackupClient server, String accessType, String operation) {
    return server.count(
        "access_logs", "accessType=eq." + accessType + "&operation=eq." + Api.q(operation));
  }

  /**
   * The archive with its sessions entry replaced by one record line of {@code lineBytes}, its
   * manifest saying the line has {@code declaredLine}, sealed with the servers' key: an archive
   * that only a server's own writer, gone wrong, could have made.
   */
  private static byte[] withOneLine(byte[] archive, int lineBytes, int declaredLine, ArchiveMac key)
      throws IOException {
    ArchiveForgery forgery = ArchiveForgery.of(archive);
    JsonObject manifest = forgery.manifest();
    JsonObject sessions = entry(manifest, "sessions");
    byte[] content = new byte[lineBytes + 1];
    Arrays.fill(content, (byte) 'a');
    content[lineBytes] = '\n';
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream encrypted = encrypting(stored, manifest, sessions.getString("name"));
        OutputStream gzip = new GZIPOutputStream(encrypted)) {
      gzip.write(content);
    }
    String contentSha256;
    try {
      contentSha256 =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    UnaryOperator<JsonObject> describe =
        m -> {
          JsonObject edited =
              ArchiveForgery.withEntryMember(m, "sessions", "records", Json.createValue(1));
          edited =
              ArchiveForgery.withEntryMember(
                  edited, "sessions", "contentBytes", Json.createValue(content.length));
          edited =
              ArchiveForgery.withEntryMember(
                  edited, "sessions", "contentSha256", Json.createValue(contentSha256));
          return ArchiveForgery.withEntryMember(
              edited, "sessions", "longestLine", Json.createValue(declaredLine));
        };
    return forgery
        .replace(sessions.getString("name"), stored.toByteArray())
        .describeEntries()
        .editManifest(describe)
        .sealWith(key)
        .bytes();
  }

  /** Encrypted as the archive's entries are, with the build's backup key, when they are. */
  private static OutputStream encrypting(OutputStream out, JsonObject manifest, String entry)
      throws IOException {
    if (!(manifest.get("encryption") instanceof JsonObject encryption)) {
      return out;
    }
    byte[] key =
        Base64.getDecoder()
            .decode(
                Files.readString(Path.of(System.getProperty("guardian.devKeys"), "backup.key"))
                    .trim());
    return ArchiveForgery.encrypting(
        out, new SecretKeySpec(key, "AES"), entry, encryption.getInt("segmentBytes"));
  }

  /** An upload the client gives up on after a second: a crafted archive must not take longer. */
  private static Api.Reply uploadWithin1Second(String id, byte[] archive) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + "/api/backups/" + id + "/archive"))
            .timeout(Duration.ofSeconds(1))
            .header("Authorization", "Bearer " + OPERATOR_TOKEN)
            .header("Content-Type", "application/zip")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(archive))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Api.Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer within 1 second: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject entry(JsonObject manifest, String collection) {
    return manifest.getJsonArray("entries").stream()
        .map(v -> v.asJsonObject())
        .filter(e -> e.getString("collection").equals(collection))
        .findFirst()
        .orElseThrow();
  }

  /** Every collection's count but the access logs' (which record the test's own requests). */
  private static Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String collection : Samples.WRITABLE) {
      counts.put(collection, SERVER.count(collection, ""));
    }
    return counts;
  }
}
