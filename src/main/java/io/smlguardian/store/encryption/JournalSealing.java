package io.smlguardian.store.encryption;

import io.smlguardian.store.accesslog.AuditKey;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import io.smlguardian.store.collection.Jsonp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the protected fields of records waiting in the ingest journal, with no database: under a
 * journal key derived from the master key (HKDF-SHA256, no salt, the info {@link #PURPOSE}), not
 * under the owner's data key, which lives in the database. The flusher opens them and seals them
 * again under the owners' data keys in the transaction that stores them.
 *
 * <p>A sealed value is {@code "gsj1:<master key id>:<base64 nonce+ciphertext>"}, bound (AES-GCM's
 * associated data) to its collection, field and owner. It names its master key, so that a value
 * journaled before a master key rotation still opens while the previous key is configured ({@code
 * ENCRYPTION_PREVIOUS_MASTER_KEYS}). Erasure does not reach it (it is no user's key): the flusher
 * drops the records of a user erased after they were journaled, and the journal deletes the segment
 * once flushed.
 */
@ApplicationScoped
public class JournalSealing {

  static final String PREFIX = "gsj1:";
  static final String PURPOSE = "guardian-store-ingest/journal-key";

  private EncryptionConfig config;
  private final Map<String, SecretKey> derived = new ConcurrentHashMap<>();
  private final FieldProtection protection =
      new FieldProtection() {
        @Override
        public Sealer sealer(CollectionDescriptor<?> collection, String owner) {
          return JournalSealing.this.sealer(collection, owner);
        }

        @Override
        public JsonValue open(
            CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
          return JournalSealing.this.open(collection, owner, field, stored);
        }

        /** Journal-sealed values are never cached: the read cache holds records of the database. */
        @Override
        public Duration clearValueLifetime() {
          return Duration.ZERO;
        }
      };

  protected JournalSealing() {}

  @Inject
  public JournalSealing(EncryptionConfig config) {
    this.config = config;
  }

  /** This sealing as a mapper's protection (not a bean of that type: the data keys' is). */
  public FieldProtection protection() {
    return protection;
  }

  /** Seals one owner's values under the current master key's journal key. */
  public FieldProtection.Sealer sealer(CollectionDescriptor<?> collection, String owner) {
    if (!collection.category().sensitive() || owner == null) {
      return (field, clear) -> clear;
    }
    EncryptionConfig.MasterKey master = config.masterKey();
    SecretKey key = key(master);
    return (field, clear) -> {
      if (clear == null) {
        return null;
      }
      byte[] sealed =
          Aead.seal(
              key,
              clear.toString().getBytes(StandardCharsets.UTF_8),
              context(collection, owner, field));
      return Jsonp.PROVIDER.createValue(
          PREFIX + master.id() + ":" + Base64.getEncoder().encodeToString(sealed));
    };
  }

  /** Whether the value is one this sealing made. */
  public static boolean isSealed(JsonValue value) {
    return value instanceof JsonString text && text.getString().startsWith(PREFIX);
  }

  /**
   * The clear value of a journal-sealed one; any other value as it is.
   *
   * @throws UnreadableDataException when its master key is no longer configured, or it was altered
   *     or moved
   */
  public JsonValue open(
      CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    String value = ((JsonString) stored).getString();
    int colon = value.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new UnreadableDataException("a malformed journal-sealed value");
    }
    String masterId = value.substring(PREFIX.length(), colon);
    EncryptionConfig.MasterKey master =
        config
            .masterKey(masterId)
            .orElseThrow(
                () ->
                    new UnreadableDataException(
                        "the master key "
                            + masterId
                            + " that sealed a journaled record is not configured"));
    byte[] clear =
        Aead.open(
            key(master),
            Base64.getDecoder().decode(value.substring(colon + 1)),
            context(collection, owner, field));
    try (var reader =
        Jsonp.PROVIDER.createReader(new StringReader(new String(clear, StandardCharsets.UTF_8)))) {
      return reader.readValue();
    }
  }

  private SecretKey key(EncryptionConfig.MasterKey master) {
    return derived.computeIfAbsent(
        master.id(),
        id ->
            new SecretKeySpec(
                AuditKey.hkdfSha256(
                    master.key().getEncoded(),
                    new byte[0],
                    PURPOSE.getBytes(StandardCharsets.UTF_8),
                    32),
                "AES"));
  }

  private static String context(CollectionDescriptor<?> collection, String owner, String field) {
    return "ingest-journal/" + collection.name() + "/" + field + "/" + owner;
  }
}
