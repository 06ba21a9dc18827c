package io.smlguardian.store.encryption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;

/**
 * The keys' configuration, read once and checked at start: a missing or bad value stops the start
 * with a message naming the variable. Sensitive data is never written in clear.
 *
 * <ul>
 *   <li>{@code ENCRYPTION_MASTER_KEY} or {@code ENCRYPTION_MASTER_KEY_FILE}: the current master
 *       key, 32 random bytes, base64; it wraps the key-encryption keys. Never stored by the
 *       service.
 *   <li>{@code ENCRYPTION_PREVIOUS_MASTER_KEYS} or {@code ENCRYPTION_PREVIOUS_MASTER_KEYS_FILE}:
 *       master keys being retired, comma or line separated: they still open what they wrapped until
 *       a rotation has moved it under the current one.
 *   <li>{@code KEY_DIR}: where the key-encryption keys live, apart from the database.
 *   <li>{@code KEY_ROTATION_INTERVAL} ({@code P7D}, or {@code off}): how old the current
 *       key-encryption key may grow before the schedule rotates it.
 *   <li>{@code KEY_RETENTION} ({@code P7D}): how long a superseded key-encryption key (and a key
 *       escrow) is kept before it is destroyed.
 *   <li>{@code KEY_CACHE_TTL} ({@code PT5S}, at most {@code PT60S}): how long an instance keeps an
 *       unwrapped key in memory; the bound on how late another instance honours an erasure.
 * </ul>
 */
@ApplicationScoped
public class EncryptionConfig {

  static final String MASTER_KEY = "ENCRYPTION_MASTER_KEY";
  static final String MASTER_KEY_FILE = "ENCRYPTION_MASTER_KEY_FILE";
  static final String PREVIOUS_MASTER_KEYS = "ENCRYPTION_PREVIOUS_MASTER_KEYS";
  static final String PREVIOUS_MASTER_KEYS_FILE = "ENCRYPTION_PREVIOUS_MASTER_KEYS_FILE";
  static final String KEY_DIR = "KEY_DIR";
  static final String ROTATION_INTERVAL = "KEY_ROTATION_INTERVAL";
  static final String RETENTION = "KEY_RETENTION";
  static final String CACHE_TTL = "KEY_CACHE_TTL";

  static final Duration MAX_CACHE_TTL = Duration.ofSeconds(60);

  /** A master key and its id: what a key-encryption key file names to say which key wrapped it. */
  public record MasterKey(String id, SecretKey key) {

    /**
     * The id: the first 8 bytes of HMAC-SHA256(key, "guardian-store master key id"), hex. It names
     * the key without revealing it, and is the same wherever the key is configured.
     */
    static MasterKey of(SecretKey key) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
        byte[] digest =
            mac.doFinal("guardian-store master key id".getBytes(StandardCharsets.UTF_8));
        return new MasterKey(HexFormat.of().formatHex(Arrays.copyOf(digest, 8)), key);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
      }
    }
  }

  private MasterKey current;
  private Map<String, MasterKey> byId;
  private Path keyDirectory;
  private Optional<Duration> rotationInterval;
  private Duration retention;
  private Duration cacheTtl;

  protected EncryptionConfig() {}

  @Inject
  public EncryptionConfig(Config config) {
    this(name -> config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()));
  }

  /**
   * @param setting the value of a configuration variable, if set (and not blank)
   */
  EncryptionConfig(Function<String, Optional<String>> setting) {
    List<String> problems = new ArrayList<>();
    String base64 =
        setting
            .apply(MASTER_KEY)
            .or(() -> setting.apply(MASTER_KEY_FILE).map(EncryptionConfig::read))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No master key: set ENCRYPTION_MASTER_KEY (32 random bytes, base64) or"
                            + " ENCRYPTION_MASTER_KEY_FILE; e.g. openssl rand -base64 32"));
    this.current = MasterKey.of(parseMasterKey(base64));
    this.byId = new LinkedHashMap<>();
    byId.put(current.id(), current);
    String previous =
        setting
            .apply(PREVIOUS_MASTER_KEYS)
            .or(() -> setting.apply(PREVIOUS_MASTER_KEYS_FILE).map(EncryptionConfig::read))
            .orElse("");
    for (String one : previous.split("[,\\s]+")) {
      if (!one.isBlank()) {
        MasterKey key = MasterKey.of(parseMasterKey(one));
        byId.putIfAbsent(key.id(), key);
      }
    }
    this.keyDirectory =
        Path.of(setting.apply(KEY_DIR).map(String::trim).orElse("keys"))
            .toAbsolutePath()
            .normalize();
    String interval = setting.apply(ROTATION_INTERVAL).map(String::trim).orElse("P7D");
    this.rotationInterval =
        interval.equalsIgnoreCase("off")
            ? Optional.empty()
            : Optional.ofNullable(duration(ROTATION_INTERVAL, interval, problems, false));
    this.retention = duration(RETENTION, setting.apply(RETENTION).orElse("P7D"), problems, true);
    this.cacheTtl = duration(CACHE_TTL, setting.apply(CACHE_TTL).orElse("PT5S"), problems, true);
    if (cacheTtl != null && cacheTtl.compareTo(MAX_CACHE_TTL) > 0) {
      problems.add(CACHE_TTL + "=" + cacheTtl + " is longer than " + MAX_CACHE_TTL);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("Invalid key configuration: " + String.join("; ", problems));
    }
  }

  /** An ISO-8601 duration (P7D, PT5S); zero only where {@code zeroAllowed}. */
  static Duration duration(String name, String text, List<String> problems, boolean zeroAllowed) {
    try {
      Duration value = Duration.parse(text.trim());
      if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
        problems.add(name + "=" + text + " must be " + (zeroAllowed ? "zero or more" : "positive"));
        return null;
      }
      return value;
    } catch (DateTimeParseException e) {
      problems.add(name + "=" + text + " is not an ISO-8601 duration such as P7D or PT5S");
      return null;
    }
  }

  static SecretKey parseMasterKey(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The master key is not base64", e);
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(
          "The master key must be 32 bytes (AES-256), got " + bytes.length);
    }
    return new SecretKeySpec(bytes, "AES");
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file.trim()));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the key file " + file, e);
    }
  }

  /** Reads the keys while the application starts, so that a missing or bad one stops the start. */
  void verifyAtStart(@Observes Startup startup) {
    masterKey();
  }

  /** The current master key: it wraps every new key-encryption key. */
  public MasterKey masterKey() {
    return current;
  }

  /** A master key this server holds, current or previous, by its id. */
  public Optional<MasterKey> masterKey(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every master key this server holds, the current one first. */
  public List<MasterKey> masterKeys() {
    return List.copyOf(byId.values());
  }

  public Path keyDirectory() {
    return keyDirectory;
  }

  /** How old the current key-encryption key may grow; empty when the schedule is off. */
  public Optional<Duration> rotationInterval() {
    return rotationInterval;
  }

  public Duration retention() {
    return retention;
  }

  public Duration cacheTtl() {
    return cacheTtl;
  }
}
