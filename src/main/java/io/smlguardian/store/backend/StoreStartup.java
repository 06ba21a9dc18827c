package io.smlguardian.store.backend;

import io.smlguardian.store.collection.StoreInfo;
import io.smlguardian.store.files.PrivateFiles;
import io.smlguardian.store.jpa.SchemaMigration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Makes the configured backend ready while the application starts, before it serves a request: a
 * relational one gets its schema migrated (SQLite, first, the directory of its file); MongoDB gets
 * connected to, with its indexes ensured. A failure here fails the start.
 */
@ApplicationScoped
public class StoreStartup {

  private static final Logger LOG = Logger.getLogger(StoreStartup.class.getName());

  @Inject private BackendConfig config;
  @Inject private SchemaMigration migration;
  @Inject private StoreInfo store;

  private volatile String schemaVersion;

  void start(@Observes Startup startup) {
    if (config.backend() == Backend.SQLITE) {
      config.sqlitePath().ifPresent(StoreStartup::createDirectoryOf);
    }
    if (config.backend().relational()) {
      schemaVersion = migration.migrate();
    } else {
      store.ping(); // connects and creates the indexes
      schemaVersion = "none";
    }
    LOG.info("Records are stored on " + config.backend().configName());
  }

  /**
   * SQLite creates its file on first connection, but not the directory the file goes in: the
   * default data directory does not exist before the first start. Both are created here, private to
   * the server's user (0700, 0600): SQLite would create the file with the process's umask, and
   * gives its -wal and -shm files the permissions of the database file.
   */
  private static void createDirectoryOf(Path file) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      PrivateFiles.createDirectories(directory);
      PrivateFiles.createFileIfMissing(file.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the directory of the SQLite database " + file + ": " + e.getMessage(), e);
    }
    LOG.info("SQLite database file: " + file.toAbsolutePath());
  }

  /** Whether the backend is ready to serve. */
  public boolean completed() {
    return schemaVersion != null;
  }

  /**
   * The relational schema's version, "none" on MongoDB (it has no schema), or null before the start
   * has completed.
   */
  public String schemaVersion() {
    return schemaVersion;
  }
}
