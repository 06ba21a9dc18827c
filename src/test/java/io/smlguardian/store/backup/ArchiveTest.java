package io.smlguardian.store.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldDefinition;
import io.smlguardian.store.collection.RecordSnapshot;
import io.smlguardian.store.collection.StoredRecord;
import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.session.Sessions;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipFile;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The archive format without a server: records written from a snapshot read back field for field,
 * plain and encrypted; the manifest counts and checksums them; a damaged byte is located to its
 * block, a truncated file to its entry; an encrypted archive opens with its key only.
 */
class ArchiveTest {

  /** Small blocks, so that a few thousand records span several. */
  private static final int BLOCK = 1 << 14;

  private static final List<CollectionDescriptor<?>> COLLECTIONS =
      List.of(Memories.COLLECTION, Sessions.COLLECTION);

  private static final JsonProvider JSON = JsonProvider.provider();

  /** Encoding on another thread, as on the server. */
  private static final java.util.concurrent.ExecutorService EXECUTOR =
      java.util.concurrent.Executors.newCachedThreadPool();

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void recordsComeBackFieldForField(boolean encrypted) throws IOException {
    SecretKey key = encrypted ? key() : null;
    Map<String, List<StoredRecord>> records = sample(3000);
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, records, key);

    ArchiveReader reader = ArchiveReader.open(file, id);
    Manifest manifest = reader.manifest();

    assertThat(manifest.backupId()).isEqualTo(id.value());
    assertThat(manifest.encrypted()).isEqualTo(encrypted);
    assertThat(manifest.counts()).containsEntry("memories", 3000L).containsEntry("sessions", 3000L);
    assertThat(reader.verify(key, true).valid()).isTrue();
    for (CollectionDescriptor<?> collection : COLLECTIONS) {
      Manifest.Entry entry = entry(manifest, collection.name());
      assertThat(entry.blocks()).hasSize((int) ((entry.bytes() + BLOCK - 1) / BLOCK));
      assertThat(lines(reader, entry, collection, key))
          .isEqualTo(lines(collection, records.get(collection.name())));
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      // Any zip tool sees the entries, and their bytes are the hashed ones.
      assertThat(zip.getEntry(entry(manifest, "memories").name()).getSize())
          .isEqualTo(entry(manifest, "memories").bytes());
    }
  }

  @Test
  void anEncryptedArchiveHoldsNoClearTextAndOpensOnlyWithItsKey() throws IOException {
    SecretKey key = key();
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, sample(50), key);
    ArchiveReader reader = ArchiveReader.open(file, id);

    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("owner-1");
    assertThat(reader.requireKey(java.util.Optional.of(key))).isEqualTo(key);
    assertThatThrownBy(() -> reader.requireKey(java.util.Optional.empty()))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("no BACKUP_ENCRYPTION_KEY");
    assertThatThrownBy(() -> reader.requireKey(java.util.Optional.of(key())))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("another key");
  }

  @Test
  void aDamagedByteIsFoundInItsBlock() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, sample(2000), null);
    Manifest.Entry memories = entry(ArchiveReader.open(file, id).manifest(), "memories");
    assertThat(memories.bytes()).isGreaterThan(BLOCK); // at least two blocks
    long damaged = memories.offset() + BLOCK + 100; // in the second block
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) damaged] ^= 0x10;
    Files.write(file, bytes);

    Verification verification = ArchiveReader.open(file, id).verify(null, true);

    assertThat(verification.valid()).isFalse();
    assertThat(verification.problems())
        .singleElement()
        .asString()
        .startsWith(memories.name() + ": bytes " + BLOCK + "..")
        .contains("file bytes " + (memories.offset() + BLOCK) + "..")
        .contains("damaged");
  }

  @Test
  void aTruncatedArchiveSaysWhichEntryItEndsIn() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, sample(2000), null);
    Manifest manifest = ArchiveReader.open(file, id).manifest();
    Manifest.Entry sessions = entry(manifest, "sessions");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, (int) (sessions.offset() + sessions.bytes() / 2)));

    assertThatThrownBy(() -> ArchiveReader.open(file, id))
        .isInstanceOf(ArchiveReader.DamagedArchiveException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining("inside entry " + sessions.name());
  }

  @Test
  void anArchiveFiledUnderAnotherIdIsRefused() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, sample(5), null);
    BackupId other = BackupId.parse("gs-20200101T000000Z-aaaaaaaa");

    assertThatThrownBy(() -> ArchiveReader.open(file, other))
        .hasMessageContaining("its manifest names backup " + id.value());
  }

  private Path write(BackupId id, Map<String, List<StoredRecord>> records, SecretKey key)
      throws IOException {
    Path file = directory.resolve(id.fileName());
    RecordSnapshot snapshot =
        new RecordSnapshot() {
          @Override
          @SuppressWarnings("unchecked")
          public <E extends StoredRecord> void read(
              CollectionDescriptor<E> collection, RecordConsumer<? super E> consumer)
              throws IOException {
            for (StoredRecord record : records.getOrDefault(collection.name(), List.of())) {
              consumer.accept((E) record);
            }
          }

          @Override
          public void close() {}
        };
    try (ArchiveWriter writer =
        new ArchiveWriter(file, id, "test", "7", true, key, 1 << 12, BLOCK, EXECUTOR)) {
      for (CollectionDescriptor<?> collection : COLLECTIONS) {
        writer.write(collection, snapshot, () -> false);
      }
      writer.finish();
    }
    return file;
  }

  /** Records as stored: every field set, sealed-looking text in JSON fields, odd characters. */
  private static Map<String, List<StoredRecord>> sample(int perCollection) {
    Map<String, List<StoredRecord>> records = new HashMap<>();
    for (CollectionDescriptor<?> collection : COLLECTIONS) {
      List<StoredRecord> list = new ArrayList<>();
      for (int i = 0; i < perCollection; i++) {
        StoredRecord record = collection.blankRecord();
        for (FieldDefinition field : collection.schema().fields()) {
          field.write(record, value(field, i));
        }
        list.add(record);
      }
      records.put(collection.name(), list);
    }
    return records;
  }

  private static Object value(FieldDefinition field, int i) {
    return switch (field.type()) {
      case UUID -> UUID.randomUUID();
      case TIME -> Instant.parse("2026-11-20T10:15:30.123456Z").plusSeconds(i);
      case INTEGER -> (long) i + 1;
      case NUMBER -> i / 7.0;
      case BOOLEAN -> i % 2 == 0;
      case TEXT ->
          field.name().equals("userId") ? "owner-" + (i % 10) : "text \"" + i + "\"\n\\ é\u0001";
      case JSON ->
          i % 3 == 0 ? null : JSON.createValue("gse1:" + UUID.randomUUID() + ":c2VhbGVk" + i);
    };
  }

  private static List<String> lines(CollectionDescriptor<?> collection, List<StoredRecord> records)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (StoredRecord record : records) {
      StringWriter line = new StringWriter();
      RecordLines.write(collection, record, line);
      lines.add(line.toString());
    }
    return lines;
  }

  private static <E extends StoredRecord> List<String> lines(
      ArchiveReader reader, Manifest.Entry entry, CollectionDescriptor<E> collection, SecretKey key)
      throws IOException {
    List<StoredRecord> read = new ArrayList<>();
    reader.readRecords(entry, collection, key, read::add);
    return lines(collection, read);
  }

  private static Manifest.Entry entry(Manifest manifest, String collection) {
    return manifest.entries().stream()
        .filter(e -> e.collection().equals(collection))
        .findFirst()
        .orElseThrow();
  }

  private static SecretKey key() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return new SecretKeySpec(bytes, "AES");
  }
}
