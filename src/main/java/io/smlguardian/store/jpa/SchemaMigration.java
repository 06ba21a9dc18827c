package io.smlguardian.store.jpa;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema to the version this build expects, with Flyway, while the application
 * starts: before it serves a request, and never through the JPA provider's DDL generation. Several
 * instances starting at once are safe: Flyway serialises them with a lock.
 *
 * <p>Each database has its own scripts, {@code db/migration/<vendor>}, chosen by what the
 * datasource says it is rather than by configuration, so scripts and database cannot disagree.
 */
@ApplicationScoped
public class SchemaMigration {

  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  // As the schema owner (DB_MIGRATION_USER): the service's own user cannot change the schema.
  @Resource(lookup = "jdbc/guardianMigration")
  private DataSource dataSource;

  /** Scripts in SQL that PostgreSQL, SQLite and H2 all accept (added columns, indexes). */
  private static final String COMMON = "classpath:db/migration/common";

  private volatile String schemaVersion;

  public SchemaMigration() {}

  /**
   * Migrations on the given datasource, outside the server: the store contract tests migrate their
   * databases with the same scripts and the same choice of them as the server's start.
   */
  public SchemaMigration(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Migrates the schema and returns the version reached.
   *
   * @throws IllegalStateException when the database is one this build has no scripts for
   */
  public String migrate() {
    String location = location();
    Flyway flyway =
        Flyway.configure(SchemaMigration.class.getClassLoader())
            .dataSource(dataSource)
            // The database's own scripts, and those written in SQL all three databases share.
            .locations(location, COMMON)
            .failOnMissingLocations(true) // no scripts found must stop the start, not pass it
            .load();
    MigrateResult result = flyway.migrate();
    // A schema already up to date migrates to no target: its version is then the current one.
    MigrationInfo current = flyway.info().current();
    schemaVersion =
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : current != null ? current.getVersion().getVersion() : "none";
    LOG.info(
        "Schema at version "
            + schemaVersion
            + " from "
            + location
            + " ("
            + result.migrationsExecuted
            + " migrations applied now)");
    return schemaVersion;
  }

  /**
   * The scripts for the datasource's database. Each folder holds an empty {@code flyway.location}
   * file: Liberty serves classpath folders only through a file in them, and Flyway looks for that
   * one.
   */
  private String location() {
    String product;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    } catch (SQLException e) {
      throw new IllegalStateException("The database cannot be reached: " + e.getMessage(), e);
    }
    String vendor =
        switch (product) {
          case "postgresql" -> "postgresql";
          case "sqlite" -> "sqlite";
          case "h2" -> "h2";
          default ->
              throw new IllegalStateException(
                  "No schema migrations for "
                      + product
                      + " (there are for PostgreSQL, SQLite, H2)");
        };
    return "classpath:db/migration/" + vendor;
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
