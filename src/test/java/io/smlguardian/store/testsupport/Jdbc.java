package io.smlguardian.store.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Plain JDBC on the application's own datasource (jdbc/guardian), for in-container tests to see
 * what PostgreSQL really holds: no JPA, so no persistence context or cache can answer instead of
 * the database. Each call takes its own connection in auto-commit mode, so it only ever sees
 * committed data.
 */
public final class Jdbc {

  private Jdbc() {}

  /** The server's datasource, looked up by its JNDI name as the application does. */
  public static DataSource dataSource() {
    try {
      return InitialContext.doLookup("jdbc/guardian");
    } catch (NamingException e) {
      throw new IllegalStateException("jdbc/guardian is not bound", e);
    }
  }

  /** The one row the query returns (column label to value), or empty when it returns none. */
  public static Optional<Map<String, Object>> row(String sql, Object... parameters) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.put(meta.getColumnLabel(c), rs.getObject(c));
        }
        if (rs.next()) {
          throw new IllegalStateException("more than one row for " + sql);
        }
        return Optional.of(row);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** The number of rows of a table that belong to the user. */
  public static long countOwned(String table, String userId) {
    // Table names come from the tests themselves, never from data.
    return ((Number)
            row("SELECT count(*) AS n FROM " + table + " WHERE user_id = ?", userId)
                .orElseThrow()
                .get("n"))
        .longValue();
  }
}
