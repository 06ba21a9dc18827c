package io.smlguardian.store.backup.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smlguardian.store.accesslog.AuditKey;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The archive formats are frozen: the service reads and writes exactly the published vectors in
 * {@code src/test/resources/backup/vectors} (made from the specification in
 * docs/backup-and-restore.md by an independent implementation, {@code generate.py} beside them). A
 * change of the segmented encryption or of the archive MAC fails here, and needs a new format
 * version rather than new vectors.
 */
class FrozenFormatVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void everyValidVectorDecryptsToItsPlaintextAndEncryptsToItsCiphertext() throws IOException {
    List<JsonObject> valid = vectors("segmented-encryption.json", "valid");
    assertThat(valid).hasSize(7);
    for (JsonObject vector : valid) {
      SecretKeySpec key = new SecretKeySpec(HEX.parseHex(vector.getString("key")), "AES");
      byte[] plain = HEX.parseHex(vector.getString("plaintext"));
      byte[] sealed = HEX.parseHex(vector.getString("ciphertext"));
      String context = vector.getString("context");
      int segment = vector.getInt("segmentBytes");

      ByteArrayOutputStream written = new ByteArrayOutputStream();
      try (OutputStream out =
          SegmentedEncryption.encrypting(
              written, key, context, segment, HEX.parseHex(vector.getString("salt")))) {
        out.write(plain);
      }
      byte[] read;
      try (InputStream in =
          SegmentedEncryption.decrypting(new ByteArrayInputStream(sealed), key, context, segment)) {
        read = in.readAllBytes();
      }

      assertThat(HEX.formatHex(written.toByteArray()))
          .as(vector.getString("name"))
          .isEqualTo(vector.getString("ciphertext"));
      assertThat(read).as(vector.getString("name")).isEqualTo(plain);
      assertThat(SegmentedEncryption.keyCheck(key)).isEqualTo(vector.getString("keyCheck"));
    }
  }

  @Test
  void everyTamperedVectorFailsToDecrypt() {
    List<JsonObject> mustFail = vectors("segmented-encryption.json", "mustFail");
    assertThat(mustFail).hasSize(5);
    for (JsonObject vector : mustFail) {
      SecretKeySpec key = new SecretKeySpec(HEX.parseHex(vector.getString("key")), "AES");
      byte[] sealed = HEX.parseHex(vector.getString("ciphertext"));

      assertThatThrownBy(
              () -> {
                try (InputStream in =
                    SegmentedEncryption.decrypting(
                        new ByteArrayInputStream(sealed),
                        key,
                        vector.getString("context"),
                        vector.getInt("segmentBytes"))) {
                  in.readAllBytes();
                }
              })
          .as(vector.getString("name"))
          .isInstanceOf(SegmentedEncryption.SegmentException.class);
    }
  }

  @Test
  void theArchiveMacVectorHolds() {
    JsonObject vector = read("archive-mac.json");
    AuditKey auditKey = new AuditKey(vector.getString("auditKey"));
    ArchiveMac mac = ArchiveMac.of(auditKey);
    byte[] manifest = vector.getString("manifest").getBytes(StandardCharsets.UTF_8);
    BackupId id = BackupId.parse(vector.getString("backupId"));

    assertThat(HEX.formatHex(auditKey.derive(vector.getString("purpose")).getEncoded()))
        .isEqualTo(vector.getString("archiveKey"));
    assertThat(mac.keyId()).isEqualTo(vector.getString("keyId"));
    assertThat(mac.sign(id, manifest)).isEqualTo(vector.getString("mac"));
    assertThat(mac.verifies(id, manifest, vector.getString("mac"))).isTrue();
    assertThat(
            mac.verifies(
                BackupId.parse("gs-20261205T100000Z-aaaaaaaa"), manifest, mac.sign(id, manifest)))
        .isFalse();
  }

  private static List<JsonObject> vectors(String file, String list) {
    return read(file).getJsonArray(list).stream().map(JsonValue::asJsonObject).toList();
  }

  private static JsonObject read(String file) {
    try (InputStream in =
            FrozenFormatVectorsTest.class.getResourceAsStream("/backup/vectors/" + file);
        var reader = Json.createReader(in)) {
      return reader.readObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
