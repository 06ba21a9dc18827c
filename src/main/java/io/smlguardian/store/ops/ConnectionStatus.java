package io.smlguardian.store.ops;

import io.smlguardian.store.collection.StoreInfo;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * How the service reaches its backend. What is unknown is written as null.
 *
 * @param url the connection URL without credentials (see {@link ConnectionUrls})
 * @param user the database user, when the URL or the connection names one
 * @param database the database product and version, or the MongoDB database name
 * @param reachable whether a round trip just succeeded
 * @param latencyMs that round trip's time
 * @param error why it failed, null when it did not
 * @param pool the connection pool's figures, null when the server publishes none
 */
@JsonbNillable
@JsonbPropertyOrder({"url", "user", "database", "reachable", "latencyMs", "error", "pool"})
public record ConnectionStatus(
    String url,
    String user,
    String database,
    boolean reachable,
    long latencyMs,
    String error,
    StoreInfo.ConnectionPoolFigures pool) {}
