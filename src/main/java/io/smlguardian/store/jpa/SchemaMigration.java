package io.smlguardian.store.jpa;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema to the version this build expects, with Flyway, while the application
 * starts: before it serves a request, and never through the JPA provider's DDL generation. Several
 * instances starting at once are safe: Flyway serialises them with a lock.
 */
@ApplicationScoped
public class SchemaMigration {

  /**
   * The scripts. The folder holds an empty {@code flyway.location} file: Liberty serves classpath
   * folders only through a file in them, and Flyway looks for that one.
   */
  private static final String LOCATION = "classpath:db/migration/postgresql";

  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  // As the schema owner (DB_MIGRATION_USER): the service's own user cannot change the schema.
  @Resource(lookup = "jdbc/guardianMigration")
  private DataSource dataSource;

  private volatile String schemaVersion;

  void migrate(@Observes Startup startup) {
    MigrateResult result =
        Flyway.configure(SchemaMigration.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            // Callbacks would sit beside the scripts; Liberty cannot list the missing default.
            .callbackLocations(LOCATION)
            .failOnMissingLocations(true) // no scripts found must stop the start, not pass it
            .load()
            .migrate();
    schemaVersion = result.targetSchemaVersion != null ? result.targetSchemaVersion : "none";
    LOG.info(
        "Schema at version "
            + schemaVersion
            + " ("
            + result.migrationsExecuted
            + " migrations applied now)");
  }

  /** Whether the schema is migrated, so the store can serve. */
  public boolean completed() {
    return schemaVersion != null;
  }

  /** The schema version reached, or null before migration has completed. */
  public String schemaVersion() {
    return schemaVersion;
  }
}
