package io.smlguardian.store.collection;

import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Protects the free-form content of sensitive records at rest: the mapper hands every protected
 * field's clear value to {@link #seal} before a record reaches a store, and every stored value to
 * {@link #open} before it reaches a caller. Which fields are protected is decided from the
 * descriptor: the JSON fields of collections whose category is sensitive.
 */
public interface FieldProtection {

  /** Stores nothing differently: for tests of the mapping alone. */
  FieldProtection NONE =
      new FieldProtection() {
        @Override
        public Sealer sealer(CollectionDescriptor<?> collection, String owner) {
          return (field, clear) -> clear;
        }

        @Override
        public JsonValue open(
            CollectionDescriptor<?> collection, String owner, String field, JsonValue stored) {
          return stored;
        }

        @Override
        public Duration clearValueLifetime() {
          return Duration.ofMinutes(1);
        }
      };

  /** Whether the field's values are sealed at rest. */
  static boolean isProtected(CollectionDescriptor<?> collection, FieldDefinition field) {
    return collection.category().sensitive()
        && collection.owned()
        && field.type() == FieldType.JSON;
  }

  /**
   * Prepares to seal values of one owner's record in a collection. Whatever lookup this needs (such
   * as the owner's key) happens here, before any field of a managed record changes: a query run
   * later could flush a half-changed record, clear values included.
   */
  Sealer sealer(CollectionDescriptor<?> collection, String owner);

  /**
   * Prepares to seal values of several owners' records in a collection, as {@link #sealer} does for
   * one: whatever lookups this needs are made together (one query for all the owners' keys).
   */
  default Map<String, Sealer> sealers(CollectionDescriptor<?> collection, Set<String> owners) {
    Map<String, Sealer> sealers = new HashMap<>();
    owners.forEach(owner -> sealers.put(owner, sealer(collection, owner)));
    return sealers;
  }

  /** Seals values for one record. */
  @FunctionalInterface
  interface Sealer {
    /** The value to store for a clear one; null stays null. */
    JsonValue seal(String field, JsonValue clear);
  }

  /** The clear value of a stored one; null stays null. */
  JsonValue open(CollectionDescriptor<?> collection, String owner, String field, JsonValue stored);

  /**
   * How long this instance may keep a record it read in memory, opened values included (the read
   * cache): as long as it keeps an owner's key in clear, since an erasure on another instance is
   * honoured here within that time either way.
   */
  Duration clearValueLifetime();
}
