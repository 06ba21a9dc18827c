package io.smlguardian.store.encryption;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Seals the free-form content of sensitive records with AES-256-GCM under the owner's data key. A
 * sealed value is stored as a JSON string {@code "gse1:<key id>:<base64 nonce+ciphertext>"} in the
 * field's own (jsonb) column, bound to the collection, field and owner it belongs to.
 */
@ApplicationScoped
public class FieldEncryption implements FieldProtection {

  static final String PREFIX = "gse1:";

  private UserKeyService keys;

  protected FieldEncryption() {}

  @Inject
  public FieldEncryption(UserKeyService keys) {
    this.keys = keys;
  }

  /** Looks the owner's key up now (creating it on first use), for collections that seal. */
  @Override
  public Sealer sealer(CollectionDescriptor<?> collection, String owner) {
    if (!collection.category().sensitive() || owner == null) {
      return (field, clear) -> clear;
    }
    return sealer(collection, owner, keys.current(owner));
  }

  /** Looks the owners' keys up now, in one query (creating them on first use). */
  @Override
  public Map<String, Sealer> sealers(CollectionDescriptor<?> collection, Set<String> owners) {
    if (!collection.category().sensitive()) {
      return FieldProtection.super.sealers(collection, owners);
    }
    Map<String, Sealer> sealers = new HashMap<>();
    keys.current(owners)
        .forEach((owner, key) -> sealers.put(owner, sealer(collection, owner, key)));
    return sealers;
  }

  private static Sealer sealer(
      CollectionDescriptor<?> collection, String owner, UserKeyService.DataKey key) {
    return (field, clear) -> {
      if (clear == null) {
        return null;
      }
      byte[] sealed =
          Aead.seal(
              key.key(),
              clear.toString().getBytes(StandardCharsets.UTF_8),
              context(collection, owner, field));
      return Jsonp.PROVIDER.createValue(
          PREFIX + key.id() + ":" + Base64.getEncoder().encodeToString(sealed));
    };
  }

  @Override
  public JsonValue open(
      CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
    if (!(stored instanceof JsonString text) || !text.getString().startsWith(PREFIX)) {
      return stored; // written before the field was protected
    }
    String value = text.getString();
    int colon = value.indexOf(':', PREFIX.length());
    UUID keyId = UUID.fromString(value.substring(PREFIX.length(), colon));
    byte[] clear =
        Aead.open(
            keys.byId(keyId, owner),
            Base64.getDecoder().decode(value.substring(colon + 1)),
            context(collection, owner, field));
    try (var reader =
        Jsonp.PROVIDER.createReader(new StringReader(new String(clear, StandardCharsets.UTF_8)))) {
      return reader.readValue();
    }
  }

  /** {@code KEY_CACHE_TTL}: how long this instance keeps an unwrapped key. */
  @Override
  public Duration clearValueLifetime() {
    return keys.cacheTtl();
  }

  private static String context(CollectionDescriptor<?> collection, String owner, String field) {
    return collection.name() + "/" + field + "/" + owner;
  }
}
