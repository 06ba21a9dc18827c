package io.smlguardian.store.backup;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an archive holds, as its {@code manifest.json} says: enough to check every byte of it (per
 * entry its size, SHA-256 and the SHA-256 of each block, so a damaged byte is found to the block)
 * and to restore it elsewhere (the backend and schema it came from, how it was compressed and
 * encrypted, the fields of each collection's records).
 *
 * @param format always {@link #FORMAT}; a reader refuses any other
 * @param backupId the backup's id, which is also the archive's name
 * @param created when the backup was taken (its snapshot opened)
 * @param backend where it was taken: postgresql, memory, mongodb...
 * @param schemaVersion the relational schema's Flyway version there, "none" on MongoDB
 * @param compressed whether entries are gzip streams
 * @param encryption how entries are encrypted, or null when they are not
 * @param blockBytes the size of the blocks whose hashes each entry lists
 * @param entries one per collection, in the order written
 */
public record Manifest(
    String format,
    String backupId,
    Instant created,
    String backend,
    String schemaVersion,
    boolean compressed,
    Encryption encryption,
    int blockBytes,
    List<Entry> entries) {

  public static final String FORMAT = "guardian-store-backup/1";
  static final String FILE = "manifest.json";

  /**
   * How the entries are encrypted.
   *
   * @param algorithm always {@link SegmentedEncryption#ALGORITHM}
   * @param segmentBytes plaintext bytes per segment
   * @param keyCheck the key's fingerprint ({@link SegmentedEncryption#keyCheck})
   */
  public record Encryption(String algorithm, int segmentBytes, String keyCheck) {}

  /**
   * One collection's records: a JSON-lines stream, gzip-compressed and then encrypted as the
   * manifest says.
   *
   * @param name the zip entry
   * @param collection the collection (or internal table: user_keys, legal_holds, audit_chains)
   * @param records how many records (lines)
   * @param bytes the entry's size in the archive
   * @param sha256 the SHA-256 of those bytes
   * @param blocks the SHA-256 of each block of {@code blockBytes} of them
   * @param offset where the entry's bytes start in the archive file
   * @param contentBytes the size of the JSON lines before compression and encryption
   * @param contentSha256 their SHA-256
   * @param fields the records' fields, in the order written
   */
  public record Entry(
      String name,
      String collection,
      long records,
      long bytes,
      String sha256,
      List<String> blocks,
      long offset,
      long contentBytes,
      String contentSha256,
      List<String> fields) {}

  public boolean encrypted() {
    return encryption != null;
  }

  /** Records per collection. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    entries.forEach(e -> counts.put(e.collection(), e.records()));
    return counts;
  }

  public long records() {
    return entries.stream().mapToLong(Entry::records).sum();
  }

  public JsonObject toJson() {
    JsonArrayBuilder entryArray = Json.createArrayBuilder();
    for (Entry entry : entries) {
      entryArray.add(
          Json.createObjectBuilder()
              .add("name", entry.name())
              .add("collection", entry.collection())
              .add("records", entry.records())
              .add("bytes", entry.bytes())
              .add("sha256", entry.sha256())
              .add("blocks", Json.createArrayBuilder(entry.blocks()))
              .add("offset", entry.offset())
              .add("contentBytes", entry.contentBytes())
              .add("contentSha256", entry.contentSha256())
              .add("fields", Json.createArrayBuilder(entry.fields())));
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("format", format)
            .add("backupId", backupId)
            .add("created", created.toString())
            .add("backend", backend)
            .add("schemaVersion", schemaVersion)
            .add("compression", compressed ? "gzip" : "none");
    if (encryption != null) {
      json.add(
          "encryption",
          Json.createObjectBuilder()
              .add("algorithm", encryption.algorithm())
              .add("segmentBytes", encryption.segmentBytes())
              .add("keyCheck", encryption.keyCheck()));
    } else {
      json.addNull("encryption");
    }
    return json.add("blockBytes", blockBytes).add("entries", entryArray).build();
  }

  byte[] toBytes() {
    return toJson().toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a manifest.
   *
   * @throws BackupException (unusable) when it is not a manifest of this format
   */
  static Manifest read(InputStream in) {
    JsonObject json;
    try (var reader = Json.createReader(in)) {
      json = reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw BackupException.unusable("manifest.json is not valid JSON: " + e.getMessage());
    }
    return of(json);
  }

  static Manifest of(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return of(reader.readObject());
    }
  }

  private static Manifest of(JsonObject json) {
    try {
      if (!FORMAT.equals(json.getString("format", null))) {
        throw BackupException.unusable(
            "manifest.json has format "
                + json.get("format")
                + "; this service reads "
                + FORMAT
                + " only");
      }
      JsonValue encryptionJson = json.get("encryption");
      Encryption encryption = null;
      if (encryptionJson instanceof JsonObject e) {
        encryption =
            new Encryption(
                e.getString("algorithm"), e.getInt("segmentBytes"), e.getString("keyCheck"));
      }
      List<Entry> entries =
          json.getJsonArray("entries").stream()
              .map(JsonValue::asJsonObject)
              .map(
                  e ->
                      new Entry(
                          e.getString("name"),
                          e.getString("collection"),
                          e.getJsonNumber("records").longValueExact(),
                          e.getJsonNumber("bytes").longValueExact(),
                          e.getString("sha256"),
                          strings(e.getJsonArray("blocks")),
                          e.getJsonNumber("offset").longValueExact(),
                          e.getJsonNumber("contentBytes").longValueExact(),
                          e.getString("contentSha256"),
                          strings(e.getJsonArray("fields"))))
              .toList();
      return new Manifest(
          json.getString("format"),
          json.getString("backupId"),
          Instant.parse(json.getString("created")),
          json.getString("backend"),
          json.getString("schemaVersion"),
          "gzip".equals(json.getString("compression")),
          encryption,
          json.getInt("blockBytes"),
          entries);
    } catch (NullPointerException
        | ClassCastException
        | ArithmeticException
        | DateTimeParseException e) {
      throw BackupException.unusable("manifest.json lacks or mistypes a member: " + e);
    }
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
