package io.smlguardian.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smlguardian.store.testsupport.Database;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How the service reaches PostgreSQL when the build brings its own: over TLS, and as a user that
 * can read and write rows but not change the schema. Against an external PostgreSQL (DB_HOST set)
 * these depend on that server's setup, so they run only with the build's own.
 */
@Tag("postgresql") // checks what PostgreSQL itself holds, with SQL
class DatabaseAccessIT {

  private static final boolean OWN_POSTGRES = "true".equals(System.getProperty("guardian.db.ssl"));

  @Test
  void theServicesConnectionsAreEncrypted() {
    assumeTrue(OWN_POSTGRES, "only with the build's own PostgreSQL, which has TLS on");

    Object encrypted =
        Database.single(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid"
                + " WHERE a.usename = 'guardian_app' AND s.ssl");
    Object clear =
        Database.single(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid"
                + " WHERE a.usename = 'guardian_app' AND NOT s.ssl");

    assertThat((Long) encrypted).isPositive();
    assertThat(clear).isEqualTo(0L);
  }

  @Test
  void theServicesUserCannotChangeTheSchema() throws SQLException {
    assumeTrue(OWN_POSTGRES, "only with the build's own PostgreSQL and its roles");
    String url = System.getProperty("guardian.db.url");

    try (var app = DriverManager.getConnection(url, "guardian_app", "");
        var statement = app.createStatement()) {
      assertThat(statement.executeQuery("SELECT count(*) FROM memories").next()).isTrue();
      assertThatThrownBy(() -> statement.execute("CREATE TABLE intruder (id int)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("DROP TABLE memories"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> statement.execute("ALTER TABLE memories ADD COLUMN x int"))
          .hasMessageContaining("must be owner");
    }
    assertThat(Database.single("SELECT tableowner FROM pg_tables WHERE tablename = 'memories'"))
        .isEqualTo("guardian_owner");
  }
}
