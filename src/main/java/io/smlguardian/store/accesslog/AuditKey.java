package io.smlguardian.store.accesslog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key that makes the audit ledger's hashes keyed (HMAC-SHA256): at least 32 random bytes,
 * base64, from the environment ({@code AUDIT_KEY}) or a file ({@code AUDIT_KEY_FILE}, e.g. a
 * mounted secret). It is never stored in the database, in a backup or in an answer of the API, so
 * that access to the database or to an archive alone cannot forge an entry, a block or a digest
 * that verifies. Without one the service refuses to start.
 *
 * <p>Every MAC is domain-separated by its first byte (entry, block, digest), after RFC 6962's
 * leaf/node prefixes, so that no MAC of one kind can pass for another.
 */
@ApplicationScoped
public class AuditKey {

  static final byte ENTRY = 0x00;
  static final byte BLOCK = 0x01;
  static final byte DIGEST = 0x02;

  private SecretKeySpec key;
  private String id;
  private Mac prototype;

  protected AuditKey() {}

  @Inject
  public AuditKey(
      @ConfigProperty(name = "AUDIT_KEY") Optional<String> key,
      @ConfigProperty(name = "AUDIT_KEY_FILE") Optional<String> file) {
    this(
        key.filter(k -> !k.isBlank())
            .or(() -> file.filter(f -> !f.isBlank()).map(AuditKey::read))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No audit key: set AUDIT_KEY (32 or more random bytes, base64) or"
                            + " AUDIT_KEY_FILE; e.g. openssl rand -base64 32")));
  }

  /** A key from its base64 form (for tests and tools as well). */
  public AuditKey(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The audit key is not base64", e);
    }
    if (bytes.length < 32) {
      throw new IllegalStateException(
          "The audit key must have at least 32 bytes, got " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    try {
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(key);
      // The id names the key without revealing it: the first bytes of a hash of a MAC under it.
      byte[] tag = prototype.doFinal("guardian-audit-key-id".getBytes(StandardCharsets.US_ASCII));
      this.id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tag), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read AUDIT_KEY_FILE " + file, e);
    }
  }

  /** Reads the key while the application starts, so that a missing or bad one stops the start. */
  void verifyAtStart(@Observes Startup startup) {
    id();
  }

  /** A short public name of the key, kept beside every block so a rotated key can be told apart. */
  public String id() {
    return id;
  }

  /**
   * A key for another purpose, derived from this one by HKDF-SHA256 (RFC 5869, no salt, the purpose
   * as info): as secret as this key, yet no MAC under it can pass for one of the ledger's, nor one
   * of the ledger's for one of its own.
   *
   * @param purpose names the use, e.g. {@code guardian-store-backup/archive-mac}
   */
  public SecretKeySpec derive(String purpose) {
    return new SecretKeySpec(
        hkdfSha256(key.getEncoded(), new byte[0], purpose.getBytes(StandardCharsets.UTF_8), 32),
        "HmacSHA256");
  }

  /**
   * HKDF with SHA-256 (RFC 5869): extract, then expand to {@code length} bytes. The one derivation
   * of the service's keys (the encryption's journal key too).
   */
  public static byte[] hkdfSha256(byte[] inputKey, byte[] salt, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // No salt is a salt of 32 zero bytes (RFC 5869, 2.2).
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
      byte[] pseudorandomKey = mac.doFinal(inputKey);
      mac.init(new SecretKeySpec(pseudorandomKey, "HmacSHA256"));
      byte[] output = new byte[length];
      byte[] block = new byte[0];
      for (int done = 0, counter = 1; done < length; counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        block = mac.doFinal();
        int n = Math.min(block.length, length - done);
        System.arraycopy(block, 0, output, done, n);
        done += n;
      }
      return output;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hex HMAC of a domain byte and the content: one call, a fresh clone of the prepared MAC. */
  String mac(byte domain, byte[] content) {
    try {
      Mac mac = (Mac) prototype.clone();
      mac.update(domain);
      return HexFormat.of().formatHex(mac.doFinal(content));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
