package io.smlguardian.store.jpa;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.persistence.internal.databaseaccess.DatabaseCall;
import org.eclipse.persistence.internal.expressions.ExpressionSQLPrinter;
import org.eclipse.persistence.internal.expressions.SQLSelectStatement;
import org.eclipse.persistence.internal.sessions.AbstractSession;
import org.eclipse.persistence.platform.database.DatabasePlatform;

/**
 * EclipseLink's view of SQLite, which EclipseLink 4.0 neither ships nor detects (the SQLite
 * backend's server configuration names this class as {@code eclipselink.target-database}).
 *
 * <p>It extends the public {@code org.eclipse.persistence.platform.database.DatabasePlatform}, not
 * the internal class of the same simple name that it inherits from: EclipseLink casts a relational
 * login's platform to the public one, and refuses anything else as "non-relational"
 * (EclipseLink-7108).
 *
 * <ul>
 *   <li>Pages are {@code LIMIT ? OFFSET ?}: the generic platform skips rows with JDBC scrolling,
 *       which the driver's forward-only result sets refuse.
 *   <li>No {@code FOR UPDATE}: SQLite has no row locks (its writers take the database's lock) and
 *       rejects the clause.
 *   <li>Times are INTEGER microseconds since the epoch, in columns declared {@code TIMESTAMP}: the
 *       driver's own timestamp binding keeps milliseconds only, while the store keeps microseconds
 *       (as PostgreSQL does). Integers also compare and sort as the instants do.
 *   <li>UUIDs are their text, which sorts as PostgreSQL sorts uuid values.
 *   <li>Integers are read as Long, whatever size the driver found them to fit.
 * </ul>
 *
 * The schema is Flyway's ({@code db/migration/sqlite}), so nothing here generates DDL.
 */
public class SQLitePlatform extends DatabasePlatform {

  private static final long MICROS_PER_SECOND = 1_000_000L;

  @Override
  public void printSQLSelectStatement(
      DatabaseCall call, ExpressionSQLPrinter printer, SQLSelectStatement statement) {
    int max = statement.getQuery() == null ? 0 : statement.getQuery().getMaxRows();
    int first = statement.getQuery() == null ? 0 : statement.getQuery().getFirstResult();
    if ((max <= 0 && first <= 0) || !shouldUseRownumFiltering()) {
      super.printSQLSelectStatement(call, printer, statement);
      return;
    }
    statement.setUseUniqueFieldAliases(true);
    call.setFields(statement.printSQL(printer));
    if (max > 0) {
      printer.printString(" LIMIT ");
      printer.printParameter(DatabaseCall.MAXROW_FIELD);
    } else {
      printer.printString(" LIMIT -1"); // an offset alone: SQLite needs a limit before it
    }
    printer.printString(" OFFSET ");
    printer.printParameter(DatabaseCall.FIRSTRESULT_FIELD);
    call.setIgnoreFirstRowSetting(true);
    call.setIgnoreMaxResultsSetting(true);
  }

  /** LIMIT takes a row count, not the index of the last row that JPA's maxResults computes. */
  @Override
  public int computeMaxRowsForSQL(int firstResultIndex, int maxResults) {
    return maxResults - Math.max(firstResultIndex, 0);
  }

  @Override
  public String getSelectForUpdateString() {
    return "";
  }

  @Override
  public boolean supportsForeignKeyConstraints() {
    return false;
  }

  /**
   * Every value is read through {@link #getObjectFromResultSet}: EclipseLink's shortcut would read
   * a timestamp column with the driver's getTimestamp, which takes the integer for milliseconds.
   */
  @Override
  public boolean shouldOptimizeDataConversion() {
    return false;
  }

  @Override
  public void setParameterValueInDatabaseCall(
      Object parameter, PreparedStatement statement, int index, AbstractSession session)
      throws SQLException {
    if (parameter instanceof Timestamp timestamp) {
      statement.setLong(index, toMicros(timestamp.toInstant()));
    } else if (parameter instanceof UUID uuid) {
      statement.setString(index, uuid.toString());
    } else {
      super.setParameterValueInDatabaseCall(parameter, statement, index, session);
    }
  }

  @Override
  public Object getObjectFromResultSet(
      ResultSet resultSet, int columnNumber, int type, AbstractSession session)
      throws SQLException {
    // The driver types a column by its declared type: TIMESTAMP columns say Types.TIMESTAMP.
    if (type == Types.TIMESTAMP) {
      long micros = resultSet.getLong(columnNumber);
      return resultSet.wasNull() ? null : Timestamp.from(fromMicros(micros));
    }
    // The driver hands any integer that fits as an Integer, a COUNT(*) too, which JPA answers as a
    // Long (PostgreSQL's and H2's drivers say bigint). Mapped attributes are converted to their
    // own type anyway.
    if (type == Types.INTEGER || type == Types.BIGINT) {
      long value = resultSet.getLong(columnNumber);
      return resultSet.wasNull() ? null : value;
    }
    return super.getObjectFromResultSet(resultSet, columnNumber, type, session);
  }

  static long toMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
