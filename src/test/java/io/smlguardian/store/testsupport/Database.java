package io.smlguardian.store.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
    String password = System.getProperty("guardian.db.password", "");
    return DriverManager.getConnection(
        System.getProperty("guardian.db.url"),
        System.getProperty("guardian.db.user"),
        password.startsWith("${") ? "" : password);
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
      try (java.sql.Statement statement = connection.createStatement()) {
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
