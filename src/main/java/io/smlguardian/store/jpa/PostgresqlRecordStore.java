package io.smlguardian.store.jpa;

import io.smlguardian.store.accesslog.LedgerStore;
import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.collection.MeasuredStore;
import io.smlguardian.store.collection.StorageSize;
import io.smlguardian.store.collection.UserLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The store on PostgreSQL, production's backend: every instance of the service shares the database,
 * so the locks that make writers take turns are the database's (advisory locks on users, table
 * locks on collections), and the database measures what a collection takes.
 *
 * <p>Typed to its class alone: the backend selection ({@code StoreSelection}) offers it under the
 * store's roles when {@code DB_BACKEND=postgresql}, and no other store then answers for them.
 */
@ApplicationScoped
@Typed(PostgresqlRecordStore.class)
@MeasuredStore
public class PostgresqlRecordStore extends JpaRecordStore {

  protected PostgresqlRecordStore() {}

  public PostgresqlRecordStore(EntityManager em, DataSource dataSource) {
    super(em, dataSource);
  }

  @Override
  public String backend() {
    return "postgresql";
  }

  /**
   * Each row of {@code INSERT ... ON CONFLICT DO NOTHING} is a speculative insertion: a probe of
   * the key before the row goes in, and one more WAL record to confirm it. A plain insert of the
   * same rows took about a seventh less of PostgreSQL's CPU (100,000 interactions in transactions
   * of 250, measured alone on one connection).
   */
  @Override
  protected boolean insertsNewPlainly() {
    return true;
  }

  /**
   * A transaction-scoped advisory lock on a 64-bit key of the user ({@code pg_advisory_xact_lock}),
   * which every instance on the database shares.
   */
  @Override
  public void lockUser(String userId) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, UserLocks.key(userId));
      lock.executeQuery().close();
    } catch (SQLException e) {
      throw new IllegalStateException("locking a user failed: " + e.getMessage(), e);
    }
  }

  /**
   * The users' advisory locks in one statement, in the order of their keys (the subquery's order,
   * which the aggregate consumes).
   */
  @Override
  public void lockUsers(Collection<String> userIds) {
    Object[] keys = userIds.stream().map(UserLocks::key).distinct().sorted().toArray();
    if (keys.length == 0) {
      return;
    }
    try (Connection connection = dataSource().getConnection();
        PreparedStatement lock =
            connection.prepareStatement(
                "SELECT count(pg_advisory_xact_lock(k)) FROM"
                    + " (SELECT unnest(?::bigint[]) AS k ORDER BY k) AS ordered")) {
      lock.setArray(1, connection.createArrayOf("bigint", keys));
      lock.executeQuery().close();
    } catch (SQLException e) {
      throw new IllegalStateException("locking users failed: " + e.getMessage(), e);
    }
  }

  /**
   * The whole block in one UPDATE, its entries' ids as one array whose ordinality is each entry's
   * position. A JDBC batch of one UPDATE per entry, as on the other backends, costs PostgreSQL more
   * CPU per ingested record ({@code AuditLayoutBenchmark}, figures in docs/ingest.md).
   *
   * <p>Its condition repeats the predicate of the partial index {@code access_logs_unsealed}
   * ({@code block_no IS NULL AND mac IS NOT NULL}, which every entry the sealer places meets): with
   * {@code block_no IS NULL} alone, PostgreSQL matched the block's ids against a scan of the whole
   * trail (a hash join over every entry ever written, 0.2 ms per placed entry at 50,000 entries and
   * growing with the trail); with the index's predicate it reads only the unsealed entries.
   */
  @Override
  public long placeInBlock(long block, List<UUID> entries) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE "
                    + LedgerStore.ENTRIES
                    + " SET block_no = ?, block_pos = placed.position - 1"
                    + " FROM unnest(?::uuid[]) WITH ORDINALITY AS placed(id, position)"
                    + " WHERE "
                    + LedgerStore.ENTRIES
                    + ".id = placed.id AND block_no IS NULL AND mac IS NOT NULL")) {
      update.setLong(1, block);
      update.setArray(2, connection.createArrayOf("uuid", entries.toArray()));
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("placing audit entries failed: " + e.getMessage(), e);
    }
  }

  /**
   * Table locks: SHARE ROW EXCLUSIVE conflicts with itself and with the ROW EXCLUSIVE of writers,
   * which do not conflict with each other.
   */
  @Override
  public void lockCollection(CollectionDescriptor<?> collection, boolean exclusive) {
    update(
        "locking " + collection.name(),
        "LOCK TABLE "
            + table(collection).table()
            + (exclusive ? " IN SHARE ROW EXCLUSIVE MODE" : " IN ROW EXCLUSIVE MODE"),
        null,
        null);
  }

  /** {@code pg_total_relation_size}: the table with its indexes and TOAST. */
  @Override
  public StorageSize storageSize(CollectionDescriptor<?> collection) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT pg_total_relation_size(to_regclass(?))")) {
      statement.setString(1, tableOf(collection));
      try (ResultSet result = statement.executeQuery()) {
        if (result.next()) {
          long bytes = result.getLong(1);
          if (!result.wasNull()) {
            return StorageSize.of(bytes, "pg_total_relation_size (table, indexes and TOAST)");
          }
        }
        return StorageSize.unknown("no table " + tableOf(collection));
      }
    } catch (SQLException e) {
      return StorageSize.unknown(backend() + " could not tell: " + e.getMessage());
    }
  }
}
