package io.smlguardian.store.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionalException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class DatabaseFailuresTest {

  /** As EclipseLink wraps what the driver threw. */
  private static RuntimeException persistence(Throwable cause) {
    return new jakarta.persistence.PersistenceException("Exception [EclipseLink-4002]", cause);
  }

  @Test
  void aLostOrRefusedConnectionInARolledBackTransactionIsRetried() {
    for (String state : new String[] {"08001", "08006", "08003", "57P01", "40001", "40P01"}) {
      Exception failure = persistence(new SQLException("gone", state));
      assertThat(DatabaseFailures.classify(failure))
          .as(state)
          .isInstanceOf(DatabaseUnavailableException.RolledBack.class)
          .hasCause(failure);
    }
  }

  @Test
  void noFreePooledConnectionIsTransient() {
    Exception failure = persistence(new SQLTransientConnectionException("J2CA0045E"));
    assertThat(DatabaseFailures.classify(failure))
        .isInstanceOf(DatabaseUnavailableException.RolledBack.class);
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownIsUnavailableButNeverRetried() {
    HeuristicMixedException heuristic = new HeuristicMixedException("commit outcome unknown");
    heuristic.initCause(new SQLException("connection lost during commit", "08006"));
    Exception failure = new TransactionalException("commit failed", heuristic);
    Exception classified = DatabaseFailures.classify(failure);
    assertThat(classified).isInstanceOf(DatabaseUnavailableException.class);
    assertThat(classified).isNotInstanceOf(DatabaseUnavailableException.RolledBack.class);
  }

  @Test
  void aCommitThatRolledBackIsRetried() {
    RollbackException rolledBack = new RollbackException("rolled back");
    rolledBack.initCause(persistence(new SQLException("connection reset", "08006")));
    Exception failure = new TransactionalException("commit failed", rolledBack);
    assertThat(DatabaseFailures.classify(failure))
        .isInstanceOf(DatabaseUnavailableException.RolledBack.class);
  }

  @Test
  void sqliteBusyFromAnotherProcessIsRetriedAndOtherSqliteErrorsAreNot() {
    for (SQLiteErrorCode busy :
        new SQLiteErrorCode[] {SQLiteErrorCode.SQLITE_BUSY, SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT}) {
      Exception failure = persistence(new SQLiteException("database is locked", busy));
      assertThat(DatabaseFailures.classify(failure))
          .as(busy.name())
          .isInstanceOf(DatabaseUnavailableException.RolledBack.class);
    }
    Exception constraint =
        persistence(
            new SQLiteException("UNIQUE constraint failed", SQLiteErrorCode.SQLITE_CONSTRAINT));
    assertThat(DatabaseFailures.classify(constraint)).isSameAs(constraint);
  }

  @Test
  void refusalsAndOtherDatabaseErrorsAreLeftAsTheyAre() {
    Exception unique = persistence(new SQLException("duplicate key", "23505"));
    Exception syntax = persistence(new SQLException("syntax error", "42601"));
    Exception noState = persistence(new SQLException("[SQLITE_CONSTRAINT]"));
    Exception refusal = new IllegalArgumentException("not found");
    for (Exception failure : new Exception[] {unique, syntax, noState, refusal}) {
      assertThat(DatabaseFailures.classify(failure)).isSameAs(failure);
      assertThat(DatabaseFailures.isTransient(failure)).isFalse();
    }
  }

  @Test
  void aRowTheDatabaseRefusesForWhatItHoldsIsARowRefusalAndNothingElseIs() {
    Exception check =
        persistence(new SQLException("ERROR: new row violates check constraint \"c\"", "23514"));
    Exception tooLong = persistence(new SQLException("value too long for type", "22001"));
    Exception sqliteConstraint =
        persistence(
            new SQLiteException("CHECK constraint failed", SQLiteErrorCode.SQLITE_CONSTRAINT));
    for (Exception refused : new Exception[] {check, tooLong, sqliteConstraint}) {
      assertThat(DatabaseFailures.isRowRefusal(refused)).as(refused.toString()).isTrue();
    }
    Exception lost = persistence(new SQLException("connection lost", "08006"));
    Exception busy =
        persistence(new SQLiteException("database is locked", SQLiteErrorCode.SQLITE_BUSY));
    Exception diskFull = persistence(new SQLException("could not extend file", "53100"));
    Exception rights = persistence(new SQLException("permission denied", "42501"));
    Exception bug = new IllegalStateException("a bug");
    for (Exception other : new Exception[] {lost, busy, diskFull, rights, bug}) {
      assertThat(DatabaseFailures.isRowRefusal(other)).as(other.toString()).isFalse();
    }
  }

  @Test
  void theReasonIsTheDatabasesOwnMessage() {
    Exception check =
        persistence(new SQLException("ERROR: new row violates check constraint \"c\"", "23514"));
    assertThat(DatabaseFailures.reason(check))
        .isEqualTo("ERROR: new row violates check constraint \"c\"");
    assertThat(DatabaseFailures.reason(new IllegalStateException("x".repeat(2000))))
        .hasSize(1001)
        .endsWith("…");
  }

  @Test
  void aChainOfCausesThatLoopsEnds() {
    SQLException first = new SQLException("first", "42000");
    SQLException second = new SQLException("second", "42000", first);
    first.initCause(second);
    assertThat(DatabaseFailures.isTransient(first)).isFalse();
  }

  @Test
  void anExceptionAlreadyClassifiedStaysAsItIs() {
    Exception done = new DatabaseUnavailableException(new SQLException("x", "08001"));
    assertThat(DatabaseFailures.classify(done)).isSameAs(done);
  }
}
