package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.backup.archive.ArchiveForgery;
import io.smlguardian.store.backup.archive.ArchiveReader;
import io.smlguardian.store.backup.archive.ArchiveWriter;
import io.smlguardian.store.backup.archive.BackupId;
import io.smlguardian.store.backup.archive.Manifest;
import io.smlguardian.store.backup.archive.SegmentedEncryption;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.encryption.UserKeyService;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.Database;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.smlguardian.store.testsupport.Samples;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * An archive written before archives left users' data keys out still holds a {@code user_keys}
 * entry, in the same authenticated format (2). Decided, and shown here on each backend's running
 * server: a restore ignores that entry and says so in {@code result.ignored}; the store's own keys
 * stay exactly as they were. So a key in an archive can neither open anything (a user whose records
 * the archive holds with a working key stays unreadable: 410) nor replace a live key (a user whose
 * live key the archive holds garbled still reads).
 */
class ArchivedUserKeysIT {

  private static final BackupClient SERVER = BackupClient.ofServerUnderTest();
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void aRestoreIgnoresTheUserKeysAnOlderArchiveCarriesAndKeepsTheStoresOwn() throws Exception {
    String kept = "archived-keys-kept-" + UUID.randomUUID();
    String stranger = "archived-keys-stranger-" + UUID.randomUUID();
    JsonObject keptSample = Samples.record("memories", kept);
    String keptId = SERVER.insert("memories", keptSample).getString("id");
    String id = SERVER.backUp().getString("backupId");
    Path original = Files.createTempFile("archived-keys", ".zip");
    Files.write(original, SERVER.download(id));

    // The stranger exists only in the archive: one memory, sealed with a data key the archive's
    // user_keys entry holds, wrapped as the oldest keys were (by the master key itself), so that
    // it would open on this server if the restore took it.
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    UUID strangerKeyId = UUID.randomUUID();
    UUID strangerMemoryId = UUID.randomUUID();
    String clear = "[\"only-in-the-archive\"]";
    String strangerWrappedKey =
        Base64.getEncoder().encodeToString(seal(masterKey(), dataKey, "user-key/" + stranger));
    List<StoredRecord> archivedKeys = new ArrayList<>();
    archivedKeys.add(key(strangerKeyId, stranger, strangerWrappedKey));
    BackupId forged = BackupId.at(Instant.now());
    Path crafted = Files.createTempFile("archived-keys", ".zip");
    try (ArchiveReader reader =
        ArchiveReader.open(original, BackupId.parse(id), ArchiveForgery.serversKey())) {
      SecretKey archiveKey = reader.manifest().encrypted() ? backupKey() : null;
      // The kept user's live key, garbled in the archive under its own id: taken, it would make
      // the kept user's records unreadable.
      StoredRecord keptMemory =
          memoryOf(reader, archiveKey, keptId)
              .orElseThrow(() -> new AssertionError("no " + keptId));
      String sealed =
          ((JsonString) field(Memories.COLLECTION, "patterns").read(keptMemory)).getString();
      UUID keptKeyId = UUID.fromString(sealed.split(":")[1]);
      archivedKeys.add(key(keptKeyId, kept, "gsk2:" + UUID.randomUUID() + ":AAAA"));
      StoredRecord strangerMemory = Memories.COLLECTION.blankRecord();
      for (FieldDefinition f : Memories.COLLECTION.schema().fields()) {
        f.write(strangerMemory, f.read(keptMemory));
      }
      field(Memories.COLLECTION, "id").write(strangerMemory, strangerMemoryId);
      field(Memories.COLLECTION, "userId").write(strangerMemory, stranger);
      // Sealed for the kept user, it would not open as the stranger's: the one sealed field is
      // the stranger's own.
      field(Memories.COLLECTION, "metadata").write(strangerMemory, null);
      field(Memories.COLLECTION, "patterns")
          .write(
              strangerMemory,
              Json.createValue(
                  "gse1:"
                      + strangerKeyId
                      + ":"
                      + Base64.getEncoder()
                          .encodeToString(
                              seal(
                                  new SecretKeySpec(dataKey, "AES"),
                                  clear.getBytes(StandardCharsets.UTF_8),
                                  "memories/patterns/" + stranger))));
      withUserKeys(reader, archiveKey, forged, crafted, strangerMemory, archivedKeys);
    }
    Api.Reply uploaded = SERVER.upload(forged.value(), Files.readAllBytes(crafted));
    assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
    assertThat(SERVER.verify(forged.value()).toString()).contains("user_keys");

    JsonObject restore = SERVER.restore(forged.value(), true);

    assertThat(restore.getString("status")).as(restore.toString()).isEqualTo("COMPLETED");
    JsonObject result = restore.getJsonObject("result");
    assertThat(result.getJsonObject("ignored").getString("user_keys"))
        .contains("never restored from an archive");
    assertThat(result.getJsonObject("switched")).doesNotContainKey("user_keys");
    // The stranger's record is restored, but its key was not: unreadable, never clear.
    Api.Reply strangerRead = Api.get("/api/collections/memories/" + strangerMemoryId);
    assertThat(strangerRead.status()).as(strangerRead.toString()).isEqualTo(410);
    assertThat(strangerRead.raw().body()).doesNotContain("only-in-the-archive");
    // The kept user's live key is the store's own, not the archive's garbled copy.
    Api.Reply keptRead = Api.get("/api/collections/memories/" + keptId);
    assertThat(keptRead.status()).as(keptRead.toString()).isEqualTo(200);
    assertThat(keptRead.object().get("patterns")).isEqualTo(keptSample.get("patterns"));
    assertThat(SERVER.delete("/api/backups/" + forged.value()).status()).isEqualTo(204);

    // The control, where the test can write the store's tables itself (PostgreSQL): the very key
    // the archive carried, put in place by hand, opens the stranger's record. The 410 above was
    // the key's absence, nothing else.
    if ("postgresql".equals(System.getProperty("guardian.backend"))) {
      Database.transaction(
          "INSERT INTO user_keys (id, created_at, version, user_id, wrapped_key) VALUES ('"
              + strangerKeyId
              + "', now(), 1, '"
              + stranger
              + "', '"
              + strangerWrappedKey
              + "')");
      Api.Reply opened = Api.get("/api/collections/memories/" + strangerMemoryId);
      assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
      assertThat(opened.object().getJsonArray("patterns").getString(0))
          .isEqualTo("only-in-the-archive");
    }
  }

  private static java.util.Optional<StoredRecord> memoryOf(
      ArchiveReader reader, SecretKey key, String id) throws Exception {
    List<StoredRecord> found = new ArrayList<>();
    for (Manifest.Entry entry : reader.manifest().entries()) {
      if (entry.collection().equals(Memories.COLLECTION.name())) {
        reader.readRecords(
            entry,
            Memories.COLLECTION,
            key,
            record -> {
              if (record.getId().toString().equals(id)) {
                found.add(record);
              }
            });
      }
    }
    return found.stream().findFirst();
  }

  /**
   * A copy of the archive, sealed with the servers' archive key, with one more memory and a {@code
   * user_keys} entry written as archives before keys left them held it.
   */
  private static void withUserKeys(
      ArchiveReader reader,
      SecretKey key,
      BackupId id,
      Path file,
      StoredRecord extraMemory,
      List<StoredRecord> keys)
      throws Exception {
    BackupContents contents = new BackupContents(RegisteredCollections.registry());
    Manifest manifest = reader.manifest();
    RecordSnapshot copy =
        new RecordSnapshot() {
          @Override
          @SuppressWarnings("unchecked")
          public <E extends StoredRecord> void read(
              CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer)
              throws java.io.IOException {
            if (collection == UserKeyService.KEYS) {
              for (StoredRecord userKey : keys) {
                consumer.accept((E) userKey);
              }
              return;
            }
            for (Manifest.Entry entry : manifest.entries()) {
              if (entry.collection().equals(collection.name())) {
                reader.readRecords(entry, collection, key, consumer::accept);
              }
            }
            if (collection == Memories.COLLECTION) {
              consumer.accept((E) extraMemory);
            }
          }

          @Override
          public void close() {}
        };
    try (ArchiveWriter writer =
        new ArchiveWriter(
            file,
            id,
            manifest.backend(),
            manifest.schemaVersion(),
            true,
            key,
            SegmentedEncryption.DEFAULT_SEGMENT_BYTES,
            ArchiveWriter.BLOCK_BYTES,
            null,
            ArchiveForgery.serversKey())) {
      for (CollectionDescriptor<?> collection : contents.all()) {
        if (manifest.entries().stream().anyMatch(e -> e.collection().equals(collection.name()))) {
          writer.write(collection, copy, () -> false);
        }
      }
      writer.write(UserKeyService.KEYS, copy, () -> false);
      writer.finish();
    }
  }

  /** A row of user_keys as the store holds it. */
  private static StoredRecord key(UUID id, String userId, String wrapped) {
    StoredRecord key = UserKeyService.KEYS.blankRecord();
    field(UserKeyService.KEYS, "id").write(key, id);
    field(UserKeyService.KEYS, "createdAt")
        .write(key, Instant.now().truncatedTo(ChronoUnit.MICROS));
    field(UserKeyService.KEYS, "version").write(key, 1L);
    field(UserKeyService.KEYS, "userId").write(key, userId);
    field(UserKeyService.KEYS, "wrappedKey").write(key, wrapped);
    return key;
  }

  private static FieldDefinition field(CollectionDescriptor<?> collection, String name) {
    return collection.schema().field(name).orElseThrow();
  }

  /** The build's master key, which every server under test is configured with. */
  private static SecretKey masterKey() throws Exception {
    return base64Key(Path.of(System.getProperty("guardian.devKeys"), "master.key"));
  }

  /** The build's backup key, with which the encrypting server (memory) writes its archives. */
  private static SecretKey backupKey() throws Exception {
    return base64Key(Path.of(System.getProperty("guardian.devKeys"), "backup.key"));
  }

  private static SecretKey base64Key(Path file) throws Exception {
    return new SecretKeySpec(Base64.getDecoder().decode(Files.readString(file).trim()), "AES");
  }

  /** AES-256-GCM, the nonce in front: the store's own sealing (encryption.Aead). */
  private static byte[] seal(SecretKey key, byte[] clear, String associatedData) throws Exception {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal(clear);
    return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
  }
}
