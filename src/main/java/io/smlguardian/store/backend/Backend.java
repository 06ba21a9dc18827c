package io.smlguardian.store.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The backends the store runs on, as {@code DB_BACKEND} names them. */
public enum Backend {
  /** One SQLite file; the default, with nothing to install. */
  SQLITE,
  /** H2 in the server's memory, empty at each start: development and tests. */
  MEMORY,
  /** PostgreSQL: production. */
  POSTGRESQL,
  /** MongoDB through its Java driver (not JPA). */
  MONGODB;

  /** The name in configuration, e.g. {@code sqlite}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the records live in a relational database through JPA and the jdbc/guardian pool. */
  public boolean relational() {
    return this != MONGODB;
  }

  /**
   * Whether a transaction may open another of its own while it is open. Not on SQLite: its one
   * connection (and its one writer) belongs to the open transaction until it ends.
   */
  public boolean nestedTransactions() {
    return this != SQLITE;
  }

  /**
   * The datasource a backup's snapshot reads through. SQLite's is a connection of its own
   * (jdbc/guardianSnapshot, sqlite.xml), not the API's only one: WAL keeps the reader's snapshot
   * while the API goes on writing, and the backup's audit receipt has a connection to write with
   * (Liberty keeps a connection taken outside a transaction until the batch step ends, even once
   * closed). The other backends' pools have connections to spare.
   */
  public String snapshotDataSource() {
    return this == SQLITE ? "jdbc/guardianSnapshot" : "jdbc/guardian";
  }

  /** Whether the data lives only as long as the server, so that nothing is lost by a reset. */
  public boolean ephemeral() {
    return this == MEMORY;
  }

  /**
   * The backend of that name.
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static Backend named(String name) {
    return Arrays.stream(values())
        .filter(b -> b.configName().equals(name.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "DB_BACKEND="
                        + name
                        + " is not a backend; it is one of "
                        + Arrays.stream(values())
                            .map(Backend::configName)
                            .collect(Collectors.joining(", "))));
  }
}
