package io.smlguardian.store.resilience;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells the database's transient failures (worth a 503 and, when nothing was committed, a retry)
 * from everything else: a refusal of the request, a bug, a constraint, which the service answers as
 * it always did and never retries.
 *
 * <p>Transient: the connection refused, lost or timed out (SQLState class 08, which the JDBC driver
 * gives every network failure), the server shutting down or starting (57P01-57P03), a transaction
 * chosen as the victim of a serialization failure or deadlock (40001, 40P01), and no pooled
 * connection free within the pool's wait (Liberty's ConnectionWaitTimeoutException, a JDBC
 * transient connection exception), and SQLite's {@code SQLITE_BUSY}: another process (the {@code
 * sqlite3} shell, a backup tool) held the file's write lock beyond the busy timeout, or committed
 * between a transaction's first read and its first write (backends/sqlite.xml). MongoDB's socket
 * and server selection failures are transient too, but never retried: MongoDB writes here have no
 * transaction that would have rolled back.
 */
public final class DatabaseFailures {

  private static final Set<String> TRANSIENT_STATES =
      Set.of("40001", "40P01", "57P01", "57P02", "57P03");

  /** A JTA outcome that leaves open whether the transaction committed. */
  private static final Set<String> UNKNOWN_OUTCOMES =
      Set.of(
          "jakarta.transaction.HeuristicMixedException",
          "jakarta.transaction.HeuristicRollbackException",
          "jakarta.transaction.SystemException");

  private static final Set<String> UNAVAILABLE_CLASSES =
      Set.of(
          "com.ibm.websphere.ce.cm.ConnectionWaitTimeoutException", // JDBC's, as JPA sees it
          "com.ibm.websphere.ce.j2c.ConnectionWaitTimeoutException", // the connector's, inside
          "com.mongodb.MongoSocketException",
          "com.mongodb.MongoTimeoutException");

  /**
   * sqlite-jdbc's exception, named rather than imported: the driver is the server's library, not
   * the application's. Its error code is SQLite's primary result code.
   */
  private static final String SQLITE_EXCEPTION = "org.sqlite.SQLiteException";

  private static final int SQLITE_BUSY = 5;

  /**
   * SQLite's primary result codes for a row refused for what it holds: too big, constraint, type.
   */
  private static final Set<Integer> SQLITE_ROW_REFUSALS = Set.of(18, 19, 20);

  /** MongoDB's refusals of a document it was given (a duplicate id is the store's own concern). */
  private static final Set<String> MONGO_WRITE_REFUSALS =
      Set.of("com.mongodb.MongoWriteException", "com.mongodb.MongoBulkWriteException");

  /** How deep into a chain of causes to look (a chain may loop). */
  private static final int MAX_CAUSES = 64;

  private DatabaseFailures() {}

  /**
   * What a failed call amounts to: a {@link DatabaseUnavailableException} (of the {@link
   * DatabaseUnavailableException.RolledBack} kind when nothing can have been committed) when the
   * database failed transiently, else the failure itself.
   */
  public static Exception classify(Exception failure) {
    if (failure instanceof DatabaseUnavailableException) {
      return failure;
    }
    if (!isTransient(failure)) {
      return failure;
    }
    return rolledBack(failure)
        ? new DatabaseUnavailableException.RolledBack(failure)
        : new DatabaseUnavailableException(failure);
  }

  /** Whether the failure, or any of its causes, is one of the database's transient failures. */
  public static boolean isTransient(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < MAX_CAUSES; t = next(t)) {
      if (t instanceof DatabaseUnavailableException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLTransactionRollbackException
          || isKind(t, UNAVAILABLE_CLASSES)) {
        return true;
      }
      if (t instanceof SQLException sql && (transientState(sql.getSQLState()) || sqliteBusy(sql))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the database refused the data it was given, for good: a data exception or an integrity
   * constraint (SQLState classes 22 and 23), SQLite's constraint, size and type refusals, MongoDB's
   * write refusals. Writing the same rows again fails the same way, whereas a transient failure
   * (see {@link #isTransient}) or anything else (the disk full, rights revoked, a bug) says nothing
   * against the rows themselves.
   */
  public static boolean isRowRefusal(Throwable failure) {
    if (isTransient(failure)) {
      return false;
    }
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < MAX_CAUSES; t = next(t)) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
          return true;
        }
        if (isKind(sql, Set.of(SQLITE_EXCEPTION))
            && SQLITE_ROW_REFUSALS.contains(sql.getErrorCode() & 0xff)) {
          return true;
        }
      }
      if (isKind(t, MONGO_WRITE_REFUSALS)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The database's own words for a failure: the message of the innermost SQL or MongoDB exception
   * of its causes (where a driver says which constraint or value), else the failure's; at most
   * 1,000 characters.
   */
  public static String reason(Throwable failure) {
    String reason = failure.getMessage();
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < MAX_CAUSES; t = next(t)) {
      if ((t instanceof SQLException || t.getClass().getName().startsWith("com.mongodb."))
          && t.getMessage() != null) {
        reason = t.getMessage();
      }
    }
    reason = String.valueOf(reason);
    return reason.length() <= 1000 ? reason : reason.substring(0, 1000) + "…";
  }

  /**
   * Whether nothing the failed call did can have been committed: not when a commit's outcome was
   * left open, and not on MongoDB, whose writes stand as soon as they are made.
   */
  private static boolean rolledBack(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth++ < MAX_CAUSES; t = next(t)) {
      if (isKind(t, UNKNOWN_OUTCOMES) || t.getClass().getName().startsWith("com.mongodb.")) {
        return false;
      }
    }
    return true;
  }

  static boolean transientState(String state) {
    return state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state));
  }

  private static boolean sqliteBusy(SQLException sql) {
    return isKind(sql, Set.of(SQLITE_EXCEPTION)) && (sql.getErrorCode() & 0xff) == SQLITE_BUSY;
  }

  /** Whether the throwable is of one of these classes or a subclass of one. */
  private static boolean isKind(Throwable t, Set<String> classNames) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (classNames.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    Throwable cause = t.getCause();
    if (cause == null && t instanceof SQLException sql) {
      cause = sql.getNextException();
    }
    return cause == t ? null : cause;
  }
}
