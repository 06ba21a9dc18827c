package io.smlguardian.store.ops;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The backend's connection pool right now, as the pool itself reports it.
 *
 * @param name which pool: the datasource's JNDI name, or the MongoDB driver's server address
 * @param maxSize the most connections it may open, when known
 * @param size connections open now
 * @param inUse of those, lent out to a caller now
 * @param idle of those, waiting in the pool
 * @param created connections opened since start, when the pool counts them
 * @param destroyed connections closed since start, when the pool counts them
 * @param source where the figures come from (the MBean)
 */
public record PoolStatus(
    String name,
    Long maxSize,
    long size,
    long inUse,
    long idle,
    Long created,
    Long destroyed,
    String source) {

  public JsonObject toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("name", name)
            .add("size", size)
            .add("inUse", inUse)
            .add("idle", idle)
            .add("source", source);
    add(json, "maxSize", maxSize);
    add(json, "created", created);
    add(json, "destroyed", destroyed);
    return json.build();
  }

  private static void add(JsonObjectBuilder json, String name, Long value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }
}
