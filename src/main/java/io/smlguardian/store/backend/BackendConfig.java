package io.smlguardian.store.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The backend selection, from MicroProfile Config: environment variables of these names, or the
 * server's variables of the same names (which also choose the server's datasource, so the two
 * agree).
 */
@ApplicationScoped
public class BackendConfig {

  private Backend backend;
  private Optional<Path> sqlitePath;

  protected BackendConfig() {}

  /**
   * @param backend sqlite by default: a file, nothing to install
   * @param sqlitePath the SQLite database file, as the server's datasource names it (the server
   *     hands the application its resolved value)
   */
  @Inject
  public BackendConfig(
      @ConfigProperty(name = "DB_BACKEND", defaultValue = "sqlite") String backend,
      @ConfigProperty(name = "SQLITE_PATH") Optional<String> sqlitePath) {
    this.backend = Backend.named(backend);
    this.sqlitePath = sqlitePath.filter(p -> !p.isBlank()).map(Path::of);
  }

  public Backend backend() {
    return backend;
  }

  /** The SQLite database file (used when the backend is sqlite), when configured. */
  public Optional<Path> sqlitePath() {
    return sqlitePath;
  }
}
