package io.smlguardian.store.collection;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.Optional;

/**
 * What the store tells about itself, for operators' status, health and problems: never used to
 * decide how to store anything.
 */
public interface StoreInfo {

  /** The backend, as {@code DB_BACKEND} names it (e.g. {@code sqlite}). */
  String backend();

  /** One round trip to the backend; throws when it cannot be reached. */
  void ping();

  /**
   * Where the store's database is and as whom it connects, as the backend tells; throws when it
   * cannot tell (a relational backend asks a connection, so ask only once {@link #ping()} passed).
   */
  StoreConnection connection();

  /** The figures of the store's connection pool, where its pool publishes them. */
  Optional<ConnectionPoolFigures> connectionPool();

  /**
   * The space the collection takes, as the backend reports it (for operators' status, not for any
   * decision). A backend that cannot tell answers {@link StorageSize#unknown} with the reason; this
   * never throws for that.
   */
  StorageSize storageSize(CollectionDescriptor<?> collection);

  /**
   * Whether the store's data lives only as long as the server (H2 in memory), so that a reset loses
   * nothing that a restart would keep: only such a store may be reset (see {@link StoreReset}). No
   * store of a database that outlives the server is.
   */
  default boolean resettable() {
    return false;
  }

  /**
   * Where the store's database is, for operators.
   *
   * @param url the connection URL, credentials included where it has them (redact it to show it)
   * @param user the database user, or null
   * @param database the database: its product and version, or its name
   */
  record StoreConnection(String url, String user, String database) {}

  /**
   * A connection pool's figures, as its MBean publishes them.
   *
   * @param name the pool: the datasource's JNDI name, or the server's host and port
   * @param maxSize the most connections it opens, or null when unknown
   * @param created connections opened since the start, or null where not published
   * @param destroyed connections closed since the start, or null where not published
   * @param source the MBean read
   */
  @JsonbNillable // the status shows a figure the pool does not publish as null
  @JsonbPropertyOrder({
    "name",
    "size",
    "inUse",
    "idle",
    "source",
    "maxSize",
    "created",
    "destroyed"
  })
  record ConnectionPoolFigures(
      String name,
      Long maxSize,
      long size,
      long inUse,
      long idle,
      Long created,
      Long destroyed,
      String source) {}
}
