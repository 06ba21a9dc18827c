package io.smlguardian.store.backend;

import io.smlguardian.store.collection.BackendStore;
import io.smlguardian.store.jpa.H2RecordStore;
import io.smlguardian.store.jpa.PostgresqlRecordStore;
import io.smlguardian.store.jpa.SqliteRecordStore;
import io.smlguardian.store.mongo.MongoRecordStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The backends the store runs on. The code names each by its database; users name them as {@code
 * DB_BACKEND} does ({@link #configName()}), which differs for H2 alone: {@code memory}, the name
 * users have configured it by since the seed.
 */
public enum Backend {
  /** One SQLite file; the default, with nothing to install. */
  SQLITE("sqlite"),
  /** H2 in the server's memory, empty at each start: development and tests. */
  H2("memory"),
  /** PostgreSQL: production. */
  POSTGRESQL("postgresql"),
  /** MongoDB through its Java driver (not JPA). */
  MONGODB("mongodb");

  private final String configName;

  Backend(String configName) {
    this.configName = configName;
  }

  /** The name in configuration ({@code DB_BACKEND}), e.g. {@code sqlite}, {@code memory}. */
  public String configName() {
    return configName;
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
      case H2 -> H2RecordStore.class;
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
