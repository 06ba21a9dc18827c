package io.smlguardian.store.backup.archive;

import io.smlguardian.store.accesslog.AuditKey;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * What makes an archive this service's own: an HMAC-SHA256 of its manifest, bound to its backup id,
 * under a key derived from the audit key ({@code AUDIT_KEY}, which every server has and which never
 * lies in the database or in an archive). The manifest lists the SHA-256 of every entry (and of
 * every block of it), so the MAC authenticates every byte of the archive: an edited manifest, an
 * entry taken from another archive and an archive filed under another id all fail, and only a
 * server with the same audit key can write an archive that passes.
 *
 * <p>The MAC is over the UTF-8 backup id, a zero byte, and the manifest's bytes exactly as stored
 * ({@code manifest.json}); it is kept in the entry {@code manifest.hmac}. The key is HKDF-SHA256 of
 * the audit key with no salt and the info {@link #PURPOSE}; its id (in {@code manifest.hmac}, to
 * tell "another key" from "edited") is the first 8 bytes of the SHA-256 of an HMAC under it.
 */
public final class ArchiveMac {

  static final String ALGORITHM = "HMAC-SHA256";
  static final String FILE = "manifest.hmac";
  static final String PURPOSE = "guardian-store-backup/archive-mac";

  private final SecretKey key;
  private final String keyId;

  ArchiveMac(SecretKey key) {
    this.key = new SecretKeySpec(key.getEncoded(), "HmacSHA256");
    this.keyId =
        HexFormat.of()
            .formatHex(
                Arrays.copyOf(
                    BlockDigest.newSha256()
                        .digest(
                            mac("guardian-store-backup/key-id".getBytes(StandardCharsets.UTF_8))),
                    8));
  }

  /** The archives' key of a server with this audit key. */
  public static ArchiveMac of(AuditKey auditKey) {
    return new ArchiveMac(auditKey.derive(PURPOSE));
  }

  String keyId() {
    return keyId;
  }

  /** The hex MAC of a manifest, as written for the backup of that id. */
  String sign(BackupId id, byte[] manifest) {
    byte[] name = id.value().getBytes(StandardCharsets.UTF_8);
    byte[] input = Arrays.copyOf(name, name.length + 1 + manifest.length);
    System.arraycopy(manifest, 0, input, name.length + 1, manifest.length);
    return HexFormat.of().formatHex(mac(input));
  }

  /** The content of {@link #FILE} for that manifest: algorithm, key id and MAC, as JSON. */
  byte[] seal(BackupId id, byte[] manifest) {
    return Json.createObjectBuilder()
        .add("algorithm", ALGORITHM)
        .add("keyId", keyId)
        .add("mac", sign(id, manifest))
        .build()
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What is wrong with a manifest's seal, read from {@link #FILE}; null when it authenticates the
   * manifest filed under that id.
   */
  String problem(BackupId id, byte[] manifest, byte[] seal) {
    JsonObject json;
    try (var reader = Json.createReader(new ByteArrayInputStream(seal))) {
      json = reader.readObject();
    } catch (RuntimeException e) { // JsonException, or whatever a parser throws on forged bytes
      return FILE + " is not valid JSON";
    }
    if (!(json.get("mac") instanceof JsonString mac)
        || !ALGORITHM.equals(json.getString("algorithm", null))) {
      return FILE + " holds no " + ALGORITHM;
    }
    if (verifies(id, manifest, mac.getString())) {
      return null;
    }
    String sealedBy = json.get("keyId") instanceof JsonString k ? k.getString() : "none";
    if (!keyId.equals(sealedBy)) {
      return "its manifest was authenticated with another archive key (key id "
          + sealedBy
          + "; this server's is "
          + keyId
          + "): it was written by a server with another AUDIT_KEY, or forged";
    }
    return "its manifest fails authentication: it was edited, or the archive is filed under"
        + " another id than its own";
  }

  /** Whether the MAC is this key's of exactly that manifest filed under that id (constant time). */
  boolean verifies(BackupId id, byte[] manifest, String mac) {
    return MessageDigest.isEqual(
        sign(id, manifest).getBytes(StandardCharsets.US_ASCII),
        String.valueOf(mac).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
