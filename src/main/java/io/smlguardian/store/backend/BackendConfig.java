package io.smlguardian.store.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The backend selection, from MicroProfile Config: environment variables of these names, or the
 * server's variables of the same names (which also choose the server's datasource, so the two
 * agree).
 */
@ApplicationScoped
public class BackendConfig {

  private Backend backend;
  private String mongoUri;

  protected BackendConfig() {}

  @Inject
  public BackendConfig(
      @ConfigProperty(name = "DB_BACKEND", defaultValue = "memory") String backend,
      @ConfigProperty(name = "MONGO_URI", defaultValue = "mongodb://localhost:27017/sml_guardian")
          String mongoUri) {
    this.backend = Backend.named(backend);
    this.mongoUri = mongoUri;
  }

  public Backend backend() {
    return backend;
  }

  /** The MongoDB connection string, naming the database (used when the backend is mongodb). */
  public String mongoUri() {
    return mongoUri;
  }
}
