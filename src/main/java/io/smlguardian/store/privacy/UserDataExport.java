package io.smlguardian.store.privacy;

import io.smlguardian.store.collection.Jsonp;
import io.smlguardian.store.collection.RecordJson;
import io.smlguardian.store.security.Caller;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.Deflater;
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

  private static final int BUFFER = 1 << 16;

  private final ExportService exports;
  private final Caller officer;
  private final String userId;

  UserDataExport(ExportService exports, Caller officer, String userId) {
    this.exports = exports;
    this.officer = officer;
    this.userId = userId;
  }

  /**
   * The JSON form, written by hand as the JSON-P generator wrote it before (compact, members in
   * this order), each record straight from its fields ({@link ExportService.RecordText}).
   */
  void writeJson(OutputStream out) throws IOException {
    Map<String, Long> counts;
    try (Writer json =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER)) {
      json.write("{\"format\":");
      RecordJson.string(FORMAT, json);
      json.write(",\"userId\":");
      RecordJson.string(userId, json);
      json.write(",\"exportedAt\":");
      RecordJson.string(Instant.now().toString(), json);
      json.write(",\"collections\":{");
      counts =
          exports.export(
              userId,
              new ExportService.RecordSink() {
                private boolean firstCollection = true;
                private boolean firstRecord;

                @Override
                public void begin(String collection) throws IOException {
                  if (!firstCollection) {
                    json.write(',');
                  }
                  firstCollection = false;
                  RecordJson.string(collection, json);
                  json.write(":[");
                  firstRecord = true;
                }

                @Override
                public void record(ExportService.RecordText record) throws IOException {
                  if (!firstRecord) {
                    json.write(',');
                  }
                  firstRecord = false;
                  record.writeTo(json);
                }

                @Override
                public void end(String collection, long records) throws IOException {
                  json.write(']');
                }
              });
      json.write("}}");
    }
    exports.recordExport(officer, userId, "json", summary(counts).toString());
  }

  /**
   * Deflated at the fastest level: JSON lines repeat their field names on every line, which even
   * the fastest level removes, and the export's time went mostly into compression otherwise.
   */
  void writeZip(OutputStream out) throws IOException {
    JsonObjectBuilder files = Jsonp.PROVIDER.createObjectBuilder();
    String exportedAt = Instant.now().toString();
    BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
    ZipOutputStream zip = new ZipOutputStream(buffered);
    zip.setLevel(Deflater.BEST_SPEED);
    Map<String, Long> counts =
        exports.export(
            userId,
            new ExportService.RecordSink() {
              private MessageDigest sha256;
              private Writer lines;

              @Override
              public void begin(String collection) throws IOException {
                zip.putNextEntry(new ZipEntry(collection + ".jsonl"));
                sha256 = sha256();
                lines =
                    new BufferedWriter(
                        new OutputStreamWriter(
                            new DigestOutputStream(nonClosing(zip), sha256),
                            StandardCharsets.UTF_8),
                        BUFFER);
              }

              @Override
              public void record(ExportService.RecordText record) throws IOException {
                record.writeTo(lines);
                lines.write('\n');
              }

              @Override
              public void end(String collection, long records) throws IOException {
                lines.flush();
                zip.closeEntry();
                files.add(
                    collection,
                    Jsonp.PROVIDER
                        .createObjectBuilder()
                        .add("file", collection + ".jsonl")
                        .add("records", records)
                        .add("sha256", HexFormat.of().formatHex(sha256.digest())));
              }
            });
    zip.putNextEntry(new ZipEntry("manifest.json"));
    zip.write(
        Jsonp.PROVIDER
            .createObjectBuilder()
            .add("format", FORMAT)
            .add("userId", userId)
            .add("exportedAt", exportedAt)
            .add("collections", files)
            .build()
            .toString()
            .getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    zip.finish();
    buffered.flush();
    exports.recordExport(officer, userId, "zip", summary(counts).toString());
  }

  private static JsonObject summary(Map<String, Long> counts) {
    JsonObjectBuilder json = Jsonp.PROVIDER.createObjectBuilder();
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

  /** The zip entry stays open when a stream around it is done with. */
  private static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
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
