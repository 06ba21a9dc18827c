package io.smlguardian.store.backup.archive;

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
import java.util.function.UnaryOperator;
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

  /** The archive key of the server that writes and reads these archives. */
  static final ArchiveMac MAC = new ArchiveMac(new SecretKeySpec(new byte[32], "HmacSHA256"));

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

    ArchiveReader reader = ArchiveReader.open(file, id, MAC);
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
    ArchiveReader reader = ArchiveReader.open(file, id, MAC);

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
    Manifest.Entry memories = entry(ArchiveReader.open(file, id, MAC).manifest(), "memories");
    assertThat(memories.bytes()).isGreaterThan(BLOCK); // at least two blocks
    long damaged = memories.offset() + BLOCK + 100; // in the second block
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) damaged] ^= 0x10;
    Files.write(file, bytes);

    Verification verification = ArchiveReader.open(file, id, MAC).verify(null, true);

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
    Manifest manifest = ArchiveReader.open(file, id, MAC).manifest();
    Manifest.Entry sessions = entry(manifest, "sessions");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, (int) (sessions.offset() + sessions.bytes() / 2)));

    assertThatThrownBy(() -> ArchiveReader.open(file, id, MAC))
        .isInstanceOf(ArchiveReader.DamagedArchiveException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining("inside entry " + sessions.name());
  }

  @Test
  void anArchiveFiledUnderAnotherIdIsRefused() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    Path file = write(id, sample(5), null);
    BackupId other = BackupId.parse("gs-20200101T000000Z-aaaaaaaa");

    assertThatThrownBy(() -> ArchiveReader.open(file, other, MAC))
        .hasMessageContaining("its manifest names backup " + id.value());
  }

  @Test
  void aManifestEditedWithoutTheKeyIsRefused() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    // One record less claimed: the checksums still hold, the seal does not.
    byte[] edited =
        ArchiveForgery.of(archive)
            .editManifest(
                m -> ArchiveForgery.withEntryMember(m, "sessions", "records", JSON.createValue(4L)))
            .bytes();

    assertThatThrownBy(() -> ArchiveReader.open(save(id, edited), id, MAC))
        .isInstanceOf(ArchiveReader.DamagedArchiveException.class)
        .hasMessageContaining("its manifest fails authentication");
    // The same rewrite without the edit opens: only the edit is refused.
    assertThat(ArchiveReader.open(save(id, ArchiveForgery.of(archive).bytes()), id, MAC))
        .isNotNull();
  }

  @Test
  void anArchiveOfAnotherKeyOrWithoutSealIsRefused() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    ArchiveMac other = new ArchiveMac(new SecretKeySpec(new byte[] {1}, "HmacSHA256"));
    byte[] resealed = ArchiveForgery.of(archive).sealWith(other).bytes();

    assertThatThrownBy(() -> ArchiveReader.open(save(id, resealed), id, MAC))
        .hasMessageContaining("another archive key (key id " + other.keyId())
        .hasMessageContaining("this server's is " + MAC.keyId());
    byte[] unsealed = withoutEntry(archive, ArchiveMac.FILE);
    assertThatThrownBy(() -> ArchiveReader.open(save(id, unsealed), id, MAC))
        .hasMessageContaining("has no manifest.hmac");
  }

  @Test
  void anArchiveOfFormat1IsRefusedAsUnauthenticated() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    byte[] old =
        ArchiveForgery.of(archive)
            .editManifest(
                m -> JSON.createObjectBuilder(m).add("format", "guardian-store-backup/1").build())
            .sealWith(MAC)
            .bytes();

    assertThatThrownBy(() -> ArchiveReader.open(save(id, old), id, MAC))
        .hasMessageContaining(
            "guardian-store-backup/1, written before archives were authenticated");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anEntryFromAnotherArchiveIsRefused(boolean encrypted) throws IOException {
    SecretKey key = encrypted ? key() : null;
    BackupId id = BackupId.at(Instant.now());
    BackupId otherId = BackupId.parse("gs-20200101T000000Z-aaaaaaaa");
    byte[] archive = Files.readAllBytes(write(id, sample(50), key));
    byte[] other = Files.readAllBytes(write(otherId, sample(50), key));
    String name = ArchiveWriter.entryName("sessions", true, encrypted);
    byte[] foreign = ArchiveForgery.of(other).entry(name);

    // As it is: its bytes are not those the manifest lists.
    byte[] swapped = ArchiveForgery.of(archive).replace(name, foreign).bytes();
    Path swappedFile = save(id, swapped);
    ArchiveReader reader;
    try {
      reader = ArchiveReader.open(swappedFile, id, MAC);
    } catch (ArchiveReader.DamagedArchiveException e) {
      reader = null; // another size: refused as it opens
      assertThat(e).hasMessageContaining(name);
    }
    if (reader != null) {
      Verification verification = reader.verify(key, true);
      assertThat(verification.valid()).isFalse();
      assertThat(verification.problems()).anySatisfy(p -> assertThat(p).startsWith(name));
    }
    // With the manifest made to list the foreign entry's sizes and hashes: the seal fails.
    byte[] described = ArchiveForgery.of(archive).replace(name, foreign).describeEntries().bytes();
    assertThatThrownBy(() -> ArchiveReader.open(save(id, described), id, MAC))
        .hasMessageContaining("its manifest fails authentication");
  }

  /** Crafted sizes, each in a manifest sealed with the right key: the limits hold regardless. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "blockBytes=0",
        "blockBytes=4294967296",
        "segmentBytes=2147483647",
        "segmentBytes=1000000000000",
        "longestLine=1000000000",
        "offset=1000000000",
        "contentBytes=1000000000000",
        "entries=65"
      })
  void aManifestBeyondItsLimitsIsRefusedBeforeAnyEntryIsRead(String crafted) throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), key()));
    String member = crafted.substring(0, crafted.indexOf('='));
    long value = Long.parseLong(crafted.substring(crafted.indexOf('=') + 1));
    UnaryOperator<jakarta.json.JsonObject> edit =
        switch (member) {
          case "blockBytes" -> m -> JSON.createObjectBuilder(m).add(member, value).build();
          case "segmentBytes" ->
              m ->
                  JSON.createObjectBuilder(m)
                      .add(
                          "encryption",
                          JSON.createObjectBuilder(m.getJsonObject("encryption"))
                              .add(member, value))
                      .build();
          case "entries" -> m -> manyEntries(m, (int) value);
          default ->
              m -> ArchiveForgery.withEntryMember(m, "sessions", member, JSON.createValue(value));
        };
    byte[] crafted2 = ArchiveForgery.of(archive).editManifest(edit).sealWith(MAC).bytes();

    assertThatThrownBy(() -> ArchiveReader.open(save(id, crafted2), id, MAC))
        .isInstanceOf(ArchiveReader.DamagedArchiveException.class)
        .hasMessageContaining("has an unusable manifest")
        .hasMessageContaining(member.equals("entries") ? "65 entries" : member);
  }

  @Test
  void aDeeplyNestedManifestIsRefusedUnbuilt() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    int depth = 1_000_000; // a JSON reader that recursed on it would overflow its stack
    String nested =
        "{\"format\":\""
            + Manifest.FORMAT
            + "\",\"backupId\":\""
            + id.value()
            + "\",\"x\":"
            + "[".repeat(depth)
            + "]".repeat(depth)
            + "}";
    byte[] crafted =
        replaceEntry(
            archive, Manifest.FILE, nested.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ArchiveReader.open(save(id, crafted), id, MAC))
        .isInstanceOf(ArchiveReader.DamagedArchiveException.class);
  }

  @Test
  void aManifestOrSealBeyondItsSizeIsNotRead() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    byte[] hugeManifest = new byte[Manifest.MAX_MANIFEST_BYTES + 1];
    Arrays.fill(hugeManifest, (byte) ' ');
    byte[] hugeSeal = new byte[1025];
    Arrays.fill(hugeSeal, (byte) ' ');

    assertThatThrownBy(
            () ->
                ArchiveReader.open(
                    save(id, replaceEntry(archive, Manifest.FILE, hugeManifest)), id, MAC))
        .hasMessageContaining("has a manifest.json of 16777217 bytes; at most 16777216 are read");
    assertThatThrownBy(
            () ->
                ArchiveReader.open(
                    save(id, replaceEntry(archive, ArchiveMac.FILE, hugeSeal)), id, MAC))
        .hasMessageContaining("has a manifest.hmac of 1025 bytes; at most 1024 are read");
  }

  @Test
  void blocksOfNoBytesAreRefusedRatherThanHashedForEver() {
    assertThatThrownBy(() -> new BlockDigest(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLineLongerThanItsManifestSaysIsDamageAndIsNeverBuffered() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    byte[] shortLines =
        ArchiveForgery.of(archive)
            .editManifest(
                m ->
                    ArchiveForgery.withEntryMember(
                        m, "sessions", "longestLine", JSON.createValue(10L)))
            .sealWith(MAC)
            .bytes();

    ArchiveReader reader = ArchiveReader.open(save(id, shortLines), id, MAC);
    Manifest.Entry sessions = entry(reader.manifest(), "sessions");

    assertThat(reader.verify(null, true).problems())
        .containsExactly(
            sessions.name() + ": record 1 is longer than the 10 bytes its manifest allows a line");
    assertThatThrownBy(() -> lines(reader, sessions, Sessions.COLLECTION, null))
        .hasMessageContaining("holds a record line longer than the 10 bytes");
  }

  @Test
  void anEntryThatDecodesToMoreThanItsManifestSaysStopsThere() throws IOException {
    BackupId id = BackupId.at(Instant.now());
    byte[] archive = Files.readAllBytes(write(id, sample(5), null));
    byte[] understated =
        ArchiveForgery.of(archive)
            .editManifest(
                m ->
                    ArchiveForgery.withEntryMember(
                        m, "sessions", "contentBytes", JSON.createValue(100L)))
            .sealWith(MAC)
            .bytes();

    ArchiveReader reader = ArchiveReader.open(save(id, understated), id, MAC);

    assertThat(reader.verify(null, true).problems())
        .containsExactly(
            entry(reader.manifest(), "sessions").name()
                + ": decodes to more than the 100 bytes its manifest says: damaged or crafted");
  }

  private static jakarta.json.JsonObject manyEntries(jakarta.json.JsonObject manifest, int count) {
    var list = JSON.createArrayBuilder();
    var first = manifest.getJsonArray("entries").getJsonObject(0);
    for (int i = 0; i < count; i++) {
      list.add(JSON.createObjectBuilder(first).add("collection", "c" + i));
    }
    return JSON.createObjectBuilder(manifest).add("entries", list).build();
  }

  private Path save(BackupId id, byte[] archive) throws IOException {
    return Files.write(directory.resolve(id.fileName()), archive);
  }

  private static byte[] replaceEntry(byte[] archive, String name, byte[] content)
      throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive));
        var zip = new java.util.zip.ZipOutputStream(out)) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        zip.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
        zip.write(entry.getName().equals(name) ? content : bytes);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] withoutEntry(byte[] archive, String name) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive));
        var zip = new java.util.zip.ZipOutputStream(out)) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (!entry.getName().equals(name)) {
          zip.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
          zip.write(bytes);
          zip.closeEntry();
        }
      }
    }
    return out.toByteArray();
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
        new ArchiveWriter(file, id, "test", "7", true, key, 1 << 12, BLOCK, EXECUTOR, MAC)) {
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
