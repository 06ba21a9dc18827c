package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.ArchiveForgery;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Samples;
import io.smlguardian.store.testsupport.TestTokens;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Backups over HTTP on every backend: who may manage them; a backup listed with the seed's
 * {backupId, size, timestamp}, verified and restored with every record of a user as it was; a
 * damaged byte and a truncated archive found, with where, and refused by restore with nothing
 * changed; backup retention deleting only expired archives; ids that try to be paths refused.
 *
 * <p>The archives are damaged where the server keeps them ({@code guardian.backupDir}), as a disk
 * would damage them. The build's memory server encrypts its backups, so there this runs on
 * encrypted archives.
 */
class BackupApiIT {

  private static final BackupClient SERVER = BackupClient.ofServerUnderTest();
  private static final Path BACKUP_DIR = Path.of(System.getProperty("guardian.backupDir"));

  @Test
  void onlyOperatorsManageBackups() {
    for (String role : List.of("user", "service", "privacy-officer", "auditor")) {
      Api.Client client = Api.as(TestTokens.token("it-" + role, role));
      assertThat(client.get("/api/backups").status()).as(role).isEqualTo(403);
      assertThat(client.post("/api/backups", "").status()).as(role).isEqualTo(403);
      assertThat(client.get("/api/backups/jobs").status()).as(role).isEqualTo(403);
      assertThat(client.post("/api/backups/gs-20261126T061500Z-abcdefgh/restore", "").status())
          .as(role)
          .isEqualTo(403);
    }
    assertThat(Api.anonymous().get("/api/backups").status()).isEqualTo(401);
    assertThat(SERVER.get("/api/backups/jobs/987654321").status()).isEqualTo(404);
    assertThat(SERVER.get("/api/backups/gs-20000101T000000Z-nosuchid").status()).isEqualTo(404);
  }

  @Test
  void aBackupIsListedVerifiedAndRestoredWithEveryRecordAsItWas() {
    String user = "backup-" + UUID.randomUUID();
    for (String collection : Samples.WRITABLE) {
      SERVER.insert(collection, Samples.record(collection, user));
      SERVER.insert(collection, Samples.record(collection, user));
    }
    Map<String, List<JsonObject>> before = recordsOf(user);

    JsonObject backup = SERVER.backUp();

    String id = backup.getString("backupId");
    assertThat(id).matches("gs-\\d{8}T\\d{6}Z-[a-z0-9]{8}");
    assertThat(backup.getJsonNumber("size").longValue()).isPositive();
    assertThat(Instant.parse(backup.getString("timestamp")))
        .isBetween(Instant.now().minus(10, ChronoUnit.MINUTES), Instant.now());
    assertThat(Files.isRegularFile(BACKUP_DIR.resolve(id + ".zip"))).isTrue();
    JsonObject listed = listed(id);
    assertThat(listed.getJsonNumber("size").longValue())
        .isEqualTo(backup.getJsonNumber("size").longValue());
    assertThat(listed.getString("timestamp")).isEqualTo(backup.getString("timestamp"));
    assertThat(listed.getString("backend")).isEqualTo(System.getProperty("guardian.backend"));
    for (String collection : Samples.WRITABLE) {
      assertThat(listed.getJsonObject("counts").getJsonNumber(collection).longValue())
          .as(collection)
          .isGreaterThanOrEqualTo(2);
    }
    JsonObject detail = SERVER.get("/api/backups/" + id).object();
    assertThat(detail.getJsonObject("manifest").getString("format"))
        .isEqualTo("guardian-store-backup/2");
    JsonObject verification = SERVER.verify(id);
    assertThat(verification.getBoolean("valid")).as(verification.toString()).isTrue();
    assertThat(verification.getJsonArray("entries")).hasSize(Samples.BACKUP_TABLES.size());

    // Change the user's records after the backup: one deleted, one added.
    JsonObject memory = before.get("memories").get(0);
    SERVER
        .service()
        .delete(SERVER.baseUrl() + "/api/collections/memories/" + memory.getString("id"), null);
    SERVER.insert("emotional_states", Samples.record("emotional_states", user));
    assertThat(recordsOf(user)).isNotEqualTo(before);

    JsonObject restore = SERVER.restore(id, true);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    assertThat(restore.getJsonObject("result").getJsonNumber("restoredTotal").longValue())
        .isPositive();
    assertThat(recordsOf(user)).isEqualTo(before);
  }

  @Test
  void aDamagedByteIsFoundWithWhereItIsAndTheRestoreRefusedChangingNothing() throws IOException {
    String user = "damaged-" + UUID.randomUUID();
    SERVER.insert("interactions", Samples.record("interactions", user));
    String id = SERVER.backUp().getString("backupId");
    Path archive = BACKUP_DIR.resolve(id + ".zip");
    Manifest.Entry interactions = entry(archive, "interactions");
    long damaged = interactions.offset() + interactions.bytes() / 2;
    flipByte(archive, damaged);
    Map<String, Long> countsBefore = counts();

    JsonObject verification = SERVER.verify(id);

    assertThat(verification.getBoolean("valid")).isFalse();
    assertThat(verification.getJsonArray("problems")).hasSize(1);
    String problem = verification.getJsonArray("problems").getString(0);
    long block = (damaged - interactions.offset()) / (1 << 20) * (1 << 20);
    assertThat(problem)
        .startsWith(interactions.name() + ": bytes " + block + "..")
        .contains("file bytes " + (interactions.offset() + block) + "..")
        .contains("damaged");
    JsonObject restore = SERVER.restore(id, true);
    assertThat(restore.getString("status")).isEqualTo("FAILED");
    assertThat(restore.getString("exitStatus"))
        .contains("is damaged; nothing was restored")
        .contains(interactions.name());
    assertThat(counts()).isEqualTo(countsBefore);
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
  }

  @Test
  void aTruncatedArchiveIsFoundAndRefusedChangingNothing() throws IOException {
    String user = "truncated-" + UUID.randomUUID();
    SERVER.insert("sessions", Samples.record("sessions", user));
    String id = SERVER.backUp().getString("backupId");
    Path archive = BACKUP_DIR.resolve(id + ".zip");
    Manifest.Entry interactions = entry(archive, "interactions");
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.setLength(interactions.offset() + interactions.bytes() / 2);
    }
    Map<String, Long> countsBefore = counts();

    JsonObject verification = SERVER.verify(id);
    Api.Reply restore = SERVER.startRestore(id, true);

    assertThat(verification.getBoolean("valid")).isFalse();
    assertThat(verification.getJsonArray("problems").getString(0))
        .contains("truncated")
        .contains("inside entry " + interactions.name());
    assertThat(listed(id).getString("problem")).contains("truncated");
    assertThat(restore.status()).as(restore.toString()).isEqualTo(422);
    assertThat(restore.contentType()).isEqualTo("application/problem+json");
    assertThat(restore.object().getString("detail"))
        .contains("nothing was restored")
        .contains("truncated");
    assertThat(counts()).isEqualTo(countsBefore);
    assertThat(SERVER.delete("/api/backups/" + id).status()).isEqualTo(204);
  }

  @Test
  void retentionDeletesOnlyTheExpiredArchives() throws IOException {
    byte[] recent = SERVER.download(SERVER.backUp().getString("backupId"));
    Instant now = Instant.now();
    String expired = refiled(recent, now.minus(40, ChronoUnit.DAYS), SERVER);
    String kept = refiled(recent, now.minus(20, ChronoUnit.DAYS), SERVER);
    assertThat(ids()).contains(expired, kept);

    String newest = SERVER.backUp().getString("backupId");

    assertThat(ids()).contains(newest, kept).doesNotContain(expired);
    assertThat(Files.exists(BACKUP_DIR.resolve(expired + ".zip"))).isFalse();
    assertThat(SERVER.delete("/api/backups/" + kept).status()).isEqualTo(204);
  }

  @Test
  void idsThatAreNotBackupIdsAreRefusedBeforeAnyFileIsTouched() {
    List<String> ids =
        List.of(
            "...",
            "erasures.jsonl",
            "manifest.json",
            "gs-20261126T061500Z-abcdefgh.zip",
            "gs-20261126T061500Z-ABCDEFGH",
            "gs-20261126T061500Z-abcdefgh.part");
    for (String id : ids) {
      for (Api.Reply reply : everyUseOf(id)) {
        assertThat(reply.status()).as(id + " " + reply).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.object().getString("detail")).contains("is not a backup id");
      }
    }
    // Paths that try to climb out never reach the resource as one id: the server refuses them
    // (or finds no such resource), and no file's content comes back.
    List<String> paths =
        List.of(
            "..",
            "%2e%2e",
            "..%2F..%2Fserver.xml",
            "..%5C..%5Cserver.xml",
            "gs-20261126T061500Z-abcdefgh%00");
    for (String path : paths) {
      for (Api.Reply reply : everyUseOf(path)) {
        assertThat(reply.status()).as(path + " " + reply).isIn(400, 404, 405);
        assertThat(reply.raw().body()).doesNotContain("<server").doesNotContain("userId");
      }
    }
  }

  private static List<Api.Reply> everyUseOf(String id) {
    return List.of(
        SERVER.get("/api/backups/" + id),
        SERVER.get("/api/backups/" + id + "/archive"),
        SERVER.post("/api/backups/" + id + "/verification"),
        SERVER.post("/api/backups/" + id + "/restore?replace=true"),
        SERVER.delete("/api/backups/" + id));
  }

  private static Map<String, List<JsonObject>> recordsOf(String user) {
    Map<String, List<JsonObject>> records = new HashMap<>();
    for (String collection : Samples.WRITABLE) {
      if (!collection.equals("metrics")) {
        records.put(collection, SERVER.recordsOf(collection, user));
      }
    }
    return records;
  }

  /** Every collection's count; access logs without the restores' own receipts. */
  private static Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    for (String collection : Samples.WRITABLE) {
      counts.put(collection, SERVER.count(collection, ""));
    }
    // Every access is recorded, counts and the operator's own requests (the refused restore, the
    // verification) too: what must not change is everything else.
    counts.put(
        "access_logs",
        SERVER.count(
            "access_logs",
            "accessType=neq.restore&operation=neq.count&principal=neq."
                + Api.q(SERVER.operatorName())));
    return counts;
  }

  private static JsonObject listed(String id) {
    Api.Reply list = SERVER.get("/api/backups");
    assertThat(list.status()).isEqualTo(200);
    return list.items().stream()
        .map(item -> item.asJsonObject())
        .filter(item -> item.getString("backupId").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not listed: " + list));
  }

  private static List<String> ids() {
    return SERVER.get("/api/backups").items().stream()
        .map(item -> item.asJsonObject().getString("backupId"))
        .toList();
  }

  static Manifest.Entry entry(Path archive, String collection) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      Manifest manifest =
          ArchiveForgery.manifest(zip.getInputStream(zip.getEntry("manifest.json")));
      return manifest.entries().stream()
          .filter(e -> e.collection().equals(collection))
          .findFirst()
          .orElseThrow();
    }
  }

  private static void flipByte(Path archive, long position) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
      file.seek(position);
      int b = file.read();
      file.seek(position);
      file.write(b ^ 0x01);
    }
  }

  /**
   * The archive filed under a new id of another time, as a backup taken then would be: its manifest
   * rewritten (id and time) and sealed again with the servers' archive key (as the server would
   * have), its entries as they were, in the same order and layout, then uploaded.
   */
  static String refiled(byte[] archive, Instant created, BackupClient server) throws IOException {
    String id = BackupId.at(created).value();
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    byte[] manifestBytes = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive));
        ZipOutputStream out = new ZipOutputStream(copy)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().equals("manifest.json")) {
          JsonObject manifest =
              BackupClient.json(new String(bytes, StandardCharsets.UTF_8)).asJsonObject();
          bytes =
              jakarta.json.Json.createObjectBuilder(manifest)
                  .add("backupId", id)
                  .add("created", BackupId.parse(id).created().toString())
                  .build()
                  .toString()
                  .getBytes(StandardCharsets.UTF_8);
          manifestBytes = bytes;
          out.putNextEntry(new ZipEntry(entry.getName()));
        } else if (entry.getName().equals(ArchiveForgery.MAC_FILE)) {
          bytes = ArchiveForgery.sealedByServers(BackupId.parse(id), manifestBytes);
          out.putNextEntry(new ZipEntry(entry.getName()));
        } else {
          ZipEntry stored = new ZipEntry(entry.getName());
          stored.setMethod(ZipEntry.STORED);
          stored.setSize(bytes.length);
          stored.setCompressedSize(bytes.length);
          CRC32 crc = new CRC32();
          crc.update(bytes);
          stored.setCrc(crc.getValue());
          out.putNextEntry(stored);
        }
        out.write(bytes);
        out.closeEntry();
      }
    }
    Api.Reply uploaded = server.upload(id, copy.toByteArray());
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    return id;
  }
}
