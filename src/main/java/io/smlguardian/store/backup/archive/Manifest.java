package io.smlguardian.store.backup.archive;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an archive holds, as its {@code manifest.json} says: enough to check every byte of it (per
 * entry its size, SHA-256 and the SHA-256 of each block, so a damaged byte is found to the block)
 * and to restore it elsewhere (the backend and schema it came from, how it was compressed and
 * encrypted, the fields of each collection's records).
 *
 * <p>A reader trusts none of its sizes beyond {@link #checkLimits}: a manifest that asks for blocks
 * or segments of no size or of gigabytes, lines longer than {@link #MAX_LINE_BYTES}, more entries
 * than {@link #MAX_ENTRIES}, or bytes beyond the file's end is refused before any entry is read.
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

  /**
   * Format 2: the manifest is authenticated ({@link ArchiveMac}) and says each entry's longest
   * line. Format 1 archives (unauthenticated) are refused.
   */
  public static final String FORMAT = "guardian-store-backup/2";

  static final String FILE = "manifest.json";

  /** The largest manifest read (a 1 MiB block's hash takes 67 bytes: some 250 GB of entries). */
  static final int MAX_MANIFEST_BYTES = 16 << 20;

  /** More than the service has collections and tables, with room for new ones. */
  static final int MAX_ENTRIES = 64;

  static final int MAX_FIELDS = 256;
  static final int MIN_BLOCK_BYTES = 4 << 10;
  static final int MAX_BLOCK_BYTES = 64 << 20;
  static final int MIN_SEGMENT_BYTES = 4 << 10;
  static final int MAX_SEGMENT_BYTES = 16 << 20;

  /**
   * The longest record line read back. A record comes from a request of at most {@code
   * MAX_REQUEST_BYTES} (1 MiB by default) and grows a little when sealed; 16 MiB leaves room.
   */
  static final int MAX_LINE_BYTES = 16 << 20;

  /** Deflate expands at most 1032 times; a "compressed" entry that claims more is crafted. */
  static final int MAX_EXPANSION = 1100;

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
   * @param longestLine the longest record line in bytes, without its newline
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
      long longestLine,
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
              .add("longestLine", entry.longestLine())
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
   * Reads a manifest from a stream, checking its limits as for an archive of any size (tools and
   * tests; the reader uses {@link #parse} and {@link #of} with the archive's size).
   *
   * @throws BackupException (unusable) when it is not a manifest of this format within the limits
   */
  static Manifest read(InputStream in) throws IOException {
    Manifest manifest = of(parse(in.readNBytes(MAX_MANIFEST_BYTES + 1)));
    manifest.checkLimits(Long.MAX_VALUE);
    return manifest;
  }

  /**
   * What a reader needs of a manifest before it can authenticate it.
   *
   * @param backupId the backup it names, or null
   */
  record Header(String backupId) {}

  /**
   * Reads a manifest's format and backup id without building it: a streaming parser holds no more
   * than one value at a time and never recurses, whatever the bytes (they are not authenticated
   * yet). The manifest must be JSON of at most {@link #MAX_MANIFEST_BYTES}, of this format.
   *
   * @throws BackupException (unusable) otherwise
   */
  static Header header(byte[] bytes) {
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw BackupException.unusable(
          FILE + " has more than " + MAX_MANIFEST_BYTES + " bytes; no archive needs as many");
    }
    String format = null;
    String backupId = null;
    try (JsonParser parser = Json.createParser(new ByteArrayInputStream(bytes))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw BackupException.unusable(FILE + " is not a JSON object");
      }
      int depth = 1;
      String key = null;
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> {
            if (depth == 1 && "format".equals(key)) {
              format = parser.getString();
            } else if (depth == 1 && "backupId".equals(key)) {
              backupId = parser.getString();
            }
          }
          default -> {}
        }
        key = event == JsonParser.Event.KEY_NAME && depth == 1 ? parser.getString() : null;
      }
    } catch (BackupException e) {
      throw e;
    } catch (RuntimeException e) {
      // JsonException, and whatever else a parser throws on bytes no one vouches for yet (Parsson:
      // a RuntimeException past 1000 levels of nesting).
      throw BackupException.unusable(FILE + " is not valid JSON: " + e.getMessage());
    }
    if ("guardian-store-backup/1".equals(format)) {
      throw BackupException.unusable(
          FILE
              + " has format guardian-store-backup/1, written before archives were authenticated;"
              + " this service reads authenticated archives ("
              + FORMAT
              + ") only");
    }
    if (!FORMAT.equals(format)) {
      throw BackupException.unusable(
          FILE + " has format " + format + "; this service reads " + FORMAT + " only");
    }
    return new Header(backupId);
  }

  /**
   * Parses a manifest's bytes whole, once they are authenticated (or, in tools and tests, trusted):
   * its {@link #header} first.
   *
   * @throws BackupException (unusable) when they are not a manifest of this format
   */
  static JsonObject parse(byte[] bytes) {
    header(bytes);
    try (var reader = Json.createReader(new ByteArrayInputStream(bytes))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw BackupException.unusable(FILE + " is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * Checks every size a reader would trust, before it reads any entry.
   *
   * @param archiveBytes the archive file's size
   * @throws BackupException (unusable) naming the first value out of bounds
   */
  void checkLimits(long archiveBytes) {
    String problem = limitProblem(archiveBytes);
    if (problem != null) {
      throw BackupException.unusable(FILE + " " + problem);
    }
  }

  private String limitProblem(long archiveBytes) {
    if (entries.size() > MAX_ENTRIES) {
      return "lists " + entries.size() + " entries; at most " + MAX_ENTRIES + " are read";
    }
    if (blockBytes < MIN_BLOCK_BYTES || blockBytes > MAX_BLOCK_BYTES) {
      return "says blockBytes "
          + blockBytes
          + "; blocks of "
          + MIN_BLOCK_BYTES
          + " to "
          + MAX_BLOCK_BYTES
          + " bytes are read";
    }
    if (encryption != null) {
      if (!SegmentedEncryption.ALGORITHM.equals(encryption.algorithm())) {
        return "says encryption "
            + encryption.algorithm()
            + "; this service reads "
            + SegmentedEncryption.ALGORITHM;
      }
      int segment = encryption.segmentBytes();
      if (segment < MIN_SEGMENT_BYTES || segment > MAX_SEGMENT_BYTES) {
        return "says segmentBytes "
            + segment
            + "; segments of "
            + MIN_SEGMENT_BYTES
            + " to "
            + MAX_SEGMENT_BYTES
            + " bytes are read";
      }
    }
    Set<String> collections = new HashSet<>();
    for (Entry entry : entries) {
      String where = "entry " + entry.name();
      if (!entry.collection().matches("[a-z][a-z0-9_]{0,62}")
          || !collections.add(entry.collection())) {
        return where + " has a collection name that is not one, or twice";
      }
      if (!entry
          .name()
          .equals(ArchiveWriter.entryName(entry.collection(), compressed, encrypted()))) {
        return where + " is not named after its collection and the archive's encoding";
      }
      if (entry.records() < 0
          || entry.bytes() < 0
          || entry.offset() < 0
          || entry.contentBytes() < 0) {
        return where + " has a negative count, size or offset";
      }
      if (entry.offset() > archiveBytes - entry.bytes()) {
        return where
            + " has offset "
            + entry.offset()
            + " and "
            + entry.bytes()
            + " bytes: beyond the archive's "
            + archiveBytes
            + " bytes";
      }
      if (entry.blocks().size() != (entry.bytes() + blockBytes - 1) / blockBytes) {
        return where
            + " lists "
            + entry.blocks().size()
            + " block hashes for "
            + entry.bytes()
            + " bytes";
      }
      if (entry.contentBytes() / (compressed ? MAX_EXPANSION : 1) > entry.bytes()
          || entry.records() > entry.contentBytes()) {
        return where
            + " says contentBytes "
            + entry.contentBytes()
            + " for "
            + entry.records()
            + " records from "
            + entry.bytes()
            + " stored bytes: more than its encoding can hold";
      }
      if (entry.longestLine() < 0 || entry.longestLine() > MAX_LINE_BYTES) {
        return where
            + " says longestLine "
            + entry.longestLine()
            + "; lines of at most "
            + MAX_LINE_BYTES
            + " bytes are read";
      }
      if (entry.fields().size() > MAX_FIELDS) {
        return where + " lists " + entry.fields().size() + " fields; at most " + MAX_FIELDS;
      }
    }
    return null;
  }

  /**
   * The manifest a parsed JSON object describes.
   *
   * @throws BackupException (unusable) when a member is missing or of another type
   */
  static Manifest of(JsonObject json) {
    try {
      JsonValue encryptionJson = json.get("encryption");
      Encryption encryption = null;
      if (encryptionJson instanceof JsonObject e) {
        encryption =
            new Encryption(
                e.getString("algorithm"),
                bounded(e, "segmentBytes", MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES),
                e.getString("keyCheck"));
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
                          e.getJsonNumber("longestLine").longValueExact(),
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
          bounded(json, "blockBytes", MIN_BLOCK_BYTES, MAX_BLOCK_BYTES),
          entries);
    } catch (NullPointerException
        | ClassCastException
        | ArithmeticException
        | DateTimeParseException e) {
      throw BackupException.unusable("manifest.json lacks or mistypes a member: " + e);
    }
  }

  /** A size member within its bounds; checked as a number of any size, never cut to an int. */
  private static int bounded(JsonObject json, String member, int min, int max) {
    BigDecimal value = json.getJsonNumber(member).bigDecimalValue();
    if (value.compareTo(BigDecimal.valueOf(min)) < 0
        || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw BackupException.unusable(
          FILE + " says " + member + " " + value + "; " + min + " to " + max + " bytes are read");
    }
    return value.intValueExact();
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }
}
