package io.smlguardian.store.privacy;

import io.smlguardian.store.security.Caller;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one user's export, streaming, in one of two documented formats:
 *
 * <ul>
 *   <li>JSON: {@code {"format": "guardian-store-export/1", "userId", "exportedAt", "collections":
 *       {"memories": [...], ...}}};
 *   <li>ZIP: one JSON-lines file per collection ({@code memories.jsonl}, ...) and a {@code
 *       manifest.json} with, per collection, its file, record count and SHA-256.
 * </ul>
 */
final class UserDataExport {

  static final String FORMAT = "guardian-store-export/1";

  private final ExportService exports;
  private final Caller officer;
  private final String userId;

  UserDataExport(ExportService exports, Caller officer, String userId) {
    this.exports = exports;
    this.officer = officer;
    this.userId = userId;
  }

  void writeJson(OutputStream out) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (JsonGenerator json = Json.createGenerator(out)) {
      json.writeStartObject()
          .write("format", FORMAT)
          .write("userId", userId)
          .write("exportedAt", Instant.now().toString())
          .writeStartObject("collections");
      for (String collection : exports.exportedCollections()) {
        json.writeStartArray(collection);
        counts.put(collection, eachRecord(collection, json::write));
        json.writeEnd();
      }
      json.writeEnd().writeEnd();
    }
    exports.recordExport(officer, userId, "json", summary(counts).toString());
  }

  void writeZip(OutputStream out) throws IOException {
    JsonObjectBuilder manifest =
        Json.createObjectBuilder()
            .add("format", FORMAT)
            .add("userId", userId)
            .add("exportedAt", Instant.now().toString());
    JsonObjectBuilder files = Json.createObjectBuilder();
    Map<String, Long> counts = new LinkedHashMap<>();
    ZipOutputStream zip = new ZipOutputStream(out);
    for (String collection : exports.exportedCollections()) {
      String file = collection + ".jsonl";
      zip.putNextEntry(new ZipEntry(file));
      MessageDigest sha256 = sha256();
      DigestOutputStream digesting = new DigestOutputStream(nonClosing(zip), sha256);
      long count =
          eachRecord(
              collection,
              record -> {
                try {
                  digesting.write(record.toString().getBytes(StandardCharsets.UTF_8));
                  digesting.write('\n');
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      zip.closeEntry();
      counts.put(collection, count);
      files.add(
          collection,
          Json.createObjectBuilder()
              .add("file", file)
              .add("records", count)
              .add("sha256", HexFormat.of().formatHex(sha256.digest())));
    }
    zip.putNextEntry(new ZipEntry("manifest.json"));
    zip.write(
        manifest.add("collections", files).build().toString().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.finish();
    exports.recordExport(officer, userId, "zip", summary(counts).toString());
  }

  /** Hands every record of the user in the collection to the sink, page by page. */
  private long eachRecord(String collection, Consumer<JsonObject> sink) {
    long count = 0;
    UUID after = null;
    do {
      ExportService.Page page = exports.page(collection, userId, after);
      page.records().forEach(sink);
      count += page.records().size();
      after = page.next();
    } while (after != null);
    return count;
  }

  private static JsonObject summary(Map<String, Long> counts) {
    JsonObjectBuilder json = Json.createObjectBuilder();
    counts.forEach(json::add);
    return json.build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The zip entry stays open when the digesting stream around it is done with. */
  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
