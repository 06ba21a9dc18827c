package io.smlguardian.store.testsupport;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.FieldProtection;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Field protection for tests of where and how often sealing looks keys up: a value is "sealed" as
 * the text {@code <owner>:<clear JSON>}, opened as it is stored, and every look-up is recorded (the
 * owners of one, comma-separated, in their order).
 */
public final class TaggingProtection implements FieldProtection {

  private final List<String> lookUps = new CopyOnWriteArrayList<>();

  @Override
  public Sealer sealer(CollectionDescriptor<?> collection, String owner) {
    lookUps.add(owner);
    return tagging(owner);
  }

  @Override
  public Map<String, Sealer> sealers(CollectionDescriptor<?> collection, Set<String> owners) {
    lookUps.add(String.join(",", owners));
    Map<String, Sealer> sealers = new HashMap<>();
    owners.forEach(owner -> sealers.put(owner, tagging(owner)));
    return sealers;
  }

  private static Sealer tagging(String owner) {
    return (field, clear) -> Json.createValue(owner + ":" + clear);
  }

  @Override
  public JsonValue open(
      CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
    return stored;
  }

  @Override
  public Duration clearValueLifetime() {
    return Duration.ZERO;
  }

  /** The look-ups made so far, oldest first. */
  public List<String> lookUps() {
    return lookUps;
  }
}
