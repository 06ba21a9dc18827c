package io.smlguardian.store.ops;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * How the service reaches its backend.
 *
 * @param url the connection URL without credentials (see {@link ConnectionUrls})
 * @param user the database user, when the URL or the connection names one
 * @param database the database product and version, or the MongoDB database name
 * @param reachable whether a round trip just succeeded
 * @param latencyMs that round trip's time
 * @param error why it failed, null when it did not
 * @param pool the connection pool's figures, null when the server publishes none
 */
public record ConnectionStatus(
    String url,
    String user,
    String database,
    boolean reachable,
    long latencyMs,
    String error,
    PoolStatus pool) {

  public JsonObject toJson() {
    JsonObjectBuilder json = Json.createObjectBuilder();
    add(json, "url", url);
    add(json, "user", user);
    add(json, "database", database);
    json.add("reachable", reachable).add("latencyMs", latencyMs);
    add(json, "error", error);
    if (pool == null) {
      json.addNull("pool");
    } else {
      json.add("pool", pool.toJson());
    }
    return json.build();
  }

  private static void add(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }
}
