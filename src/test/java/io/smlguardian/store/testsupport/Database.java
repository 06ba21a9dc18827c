package io.smlguardian.store.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Direct JDBC access to the PostgreSQL the server uses (coordinates from the {@code guardian.db.*}
 * system properties that failsafe sets), to check what is really stored.
 */
public final class Database {

  static {
    try {
      // Registers the driver from this class's loader: under exec:java, DriverManager's own
      // service lookup does not see the test classpath.
      Class.forName("org.postgresql.Driver");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Database() {}

  public static Connection connect() throws SQLException {
    return open(System.getProperty("guardian.db.url"));
  }

  /** A connection to another database of the same PostgreSQL, as the same user. */
  public static Connection connect(String database) throws SQLException {
    return open(
        System.getProperty("guardian.db.url")
            .replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
  }

  private static Connection open(String url) throws SQLException {
    String password = System.getProperty("guardian.db.password", "");
    return DriverManager.getConnection(
        url, System.getProperty("guardian.db.user"), password.startsWith("${") ? "" : password);
  }

  /**
   * A fresh database in the same PostgreSQL, with the roles' rights as a DBA grants them: for a
   * second server with a database of its own ({@code DB_NAME}).
   *
   * @param name letters, digits and underscores
   */
  public static void create(String name) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    try (Connection connection = connect(name);
        Statement statement = connection.createStatement()) {
      statement.execute("GRANT USAGE, CREATE ON SCHEMA public TO guardian_owner");
      statement.execute("GRANT USAGE ON SCHEMA public TO guardian_app");
      statement.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE guardian_owner IN SCHEMA public"
              + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO guardian_app");
    }
  }

  /** The single value of a query with one result row and column. */
  public static Object single(String sql, Object... params) {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          throw new IllegalStateException("no row for " + sql);
        }
        return result.getObject(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the statements in one transaction: all take effect, or none. */
  public static void transaction(String... statements) {
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many rows the whole table has. */
  public static long rows(String table) {
    // table names come from the tests' own constants, never from input
    return ((Number) single("SELECT count(*) FROM " + table)).longValue();
  }
}
