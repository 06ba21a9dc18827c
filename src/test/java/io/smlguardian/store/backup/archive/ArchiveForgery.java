package io.smlguardian.store.backup.archive;

import io.smlguardian.store.accesslog.AuditKey;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.crypto.SecretKey;

/**
 * Rewrites an archive as someone who holds a copy of it could: its entries replaced, its manifest
 * edited, and then sealed again with an archive key ({@link ArchiveMac}) or left with its old seal
 * (a forger without the key). The entries are stored in their order, and, when asked to, the
 * manifest is made to describe the entries as they now are (sizes, hashes, offsets), so that only
 * what the test means to break is broken.
 */
public final class ArchiveForgery {

  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final Map<String, byte[]> replaced = new LinkedHashMap<>();
  private UnaryOperator<JsonObject> edit = UnaryOperator.identity();
  private boolean describe;
  private ArchiveMac signer;

  private ArchiveForgery(byte[] archive) {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The archive key of the build's servers: derived from the audit key they all share, which the
   * build writes into the dev-keys directory.
   */
  public static ArchiveMac serversKey() {
    try {
      return ArchiveMac.of(
          new AuditKey(
              Files.readString(Path.of(System.getProperty("guardian.devKeys"), "audit.key"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The archive's MAC entry, which {@link #sealWith} writes. */
  public static final String MAC_FILE = ArchiveMac.FILE;

  /** The manifest's name for the encryption of the entries. */
  public static final String ENCRYPTION_ALGORITHM = SegmentedEncryption.ALGORITHM;

  /** The MAC the build's servers give these manifest bytes of an archive of this id. */
  public static byte[] sealedByServers(BackupId id, byte[] manifest) {
    return serversKey().seal(id, manifest);
  }

  /** The manifest of an archive, read as the server reads it. */
  public static Manifest manifest(InputStream manifestJson) throws IOException {
    return Manifest.read(manifestJson);
  }

  /** Encrypts an entry's bytes as the server's writer does. */
  public static OutputStream encrypting(
      OutputStream out, SecretKey key, String entry, int segmentBytes) throws IOException {
    return SegmentedEncryption.encrypting(out, key, ArchiveWriter.context(entry), segmentBytes);
  }

  public static ArchiveForgery of(byte[] archive) {
    return new ArchiveForgery(archive);
  }

  /** The stored bytes of an entry of the archive. */
  public byte[] entry(String name) {
    return entries.get(name);
  }

  public JsonObject manifest() {
    return json(entries.get(Manifest.FILE));
  }

  /** Puts these bytes in place of the entry's. */
  public ArchiveForgery replace(String name, byte[] bytes) {
    replaced.put(name, bytes);
    return this;
  }

  /** Edits the manifest (after it is made to describe the entries, if asked). */
  public ArchiveForgery editManifest(UnaryOperator<JsonObject> edit) {
    this.edit = edit;
    return this;
  }

  /** Makes the manifest list each entry's new size, SHA-256, block hashes and offset. */
  public ArchiveForgery describeEntries() {
    this.describe = true;
    return this;
  }

  /** Seals the manifest with this key; without, the archive keeps its old seal. */
  public ArchiveForgery sealWith(ArchiveMac signer) {
    this.signer = signer;
    return this;
  }

  public byte[] bytes() {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Map<String, Long> offsets = new LinkedHashMap<>();
    try (ZipOutputStream zip = new ZipOutputStream(file)) {
      for (var entry : entries.entrySet()) {
        String name = entry.getKey();
        if (name.equals(Manifest.FILE) || name.equals(ArchiveMac.FILE)) {
          continue;
        }
        byte[] bytes = replaced.getOrDefault(name, entry.getValue());
        ZipEntry stored = new ZipEntry(name);
        stored.setMethod(ZipEntry.STORED);
        stored.setSize(bytes.length);
        stored.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        stored.setCrc(crc.getValue());
        zip.putNextEntry(stored);
        zip.flush();
        offsets.put(name, (long) file.size());
        zip.write(bytes);
        zip.closeEntry();
      }
      JsonObject manifest = manifest();
      if (describe) {
        manifest = described(manifest, offsets);
      }
      manifest = edit.apply(manifest);
      byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
      zip.putNextEntry(new ZipEntry(Manifest.FILE));
      zip.write(manifestBytes);
      zip.closeEntry();
      byte[] seal =
          signer == null
              ? entries.get(ArchiveMac.FILE)
              : signer.seal(BackupId.parse(manifest.getString("backupId")), manifestBytes);
      if (seal != null) {
        zip.putNextEntry(new ZipEntry(ArchiveMac.FILE));
        zip.write(seal);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toByteArray();
  }

  private JsonObject described(JsonObject manifest, Map<String, Long> offsets) {
    int blockBytes = manifest.getInt("blockBytes");
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (JsonValue value : manifest.getJsonArray("entries")) {
      JsonObject entry = value.asJsonObject();
      String name = entry.getString("name");
      byte[] bytes = replaced.getOrDefault(name, entries.get(name));
      BlockDigest digest = new BlockDigest(blockBytes);
      digest.update(bytes, 0, bytes.length);
      digest.finish();
      list.add(
          Json.createObjectBuilder(entry)
              .add("bytes", bytes.length)
              .add("offset", offsets.get(name))
              .add("blocks", Json.createArrayBuilder(digest.blocks()))
              .add("sha256", digest.sha256()));
    }
    return Json.createObjectBuilder(manifest).add("entries", list).build();
  }

  /** The manifest with one member of one entry (by collection) set to a value. */
  public static JsonObject withEntryMember(
      JsonObject manifest, String collection, String member, JsonValue value) {
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (JsonValue entry : manifest.getJsonArray("entries")) {
      JsonObjectBuilder copy = Json.createObjectBuilder(entry.asJsonObject());
      if (entry.asJsonObject().getString("collection").equals(collection)) {
        copy.add(member, value);
      }
      list.add(copy);
    }
    return Json.createObjectBuilder(manifest).add("entries", list).build();
  }

  public static JsonObject json(byte[] bytes) {
    try (var reader =
        Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
      return reader.readObject();
    }
  }
}
