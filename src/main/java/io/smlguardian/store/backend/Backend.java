package io.smlguardian.store.backend;

import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.jpa.H2RecordStore;
import io.smlguardian.store.jpa.PostgresqlRecordStore;
import io.smlguardian.store.jpa.SqliteRecordStore;
import io.smlguardian.store.mongo.MongoRecordStore;
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
   * The class of the backend's store bean: each owns its backend's primitives (locks, sizes,
   * encodings, its pool's figures).
   */
  Class<? extends BackendStore> storeClass() {
    return switch (this) {
      case SQLITE -> SqliteRecordStore.class;
      case MEMORY -> H2RecordStore.class;
      case POSTGRESQL -> PostgresqlRecordStore.class;
      case MONGODB -> MongoRecordStore.class;
    };
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
