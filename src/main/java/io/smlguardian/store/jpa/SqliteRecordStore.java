package io.smlguardian.store.jpa;

import io.smlguardian.store.collection.MeasuredStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.persistence.EntityManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The store on one SQLite file, the default backend. Its pool has one connection (sqlite.xml), and
 * that connection, with SQLite's one writer, belongs to the open transaction until it ends: so no
 * lock is needed to make writers take turns, and no second bulk writer can work meanwhile. Times
 * and uuids are stored as {@link SQLitePlatform} writes them.
 *
 * <p>Typed to its class alone: the backend selection ({@code StoreSelection}) offers it under the
 * store's roles when {@code DB_BACKEND=sqlite}.
 */
@ApplicationScoped
@Typed(SqliteRecordStore.class)
@MeasuredStore
public class SqliteRecordStore extends JpaRecordStore {

  /**
   * A backup's snapshot reads through a connection of its own (sqlite.xml), not the API's only one:
   * WAL keeps the reader's snapshot while the API goes on writing, and the backup's audit receipt
   * has a connection to write with (Liberty keeps a connection taken outside a transaction until
   * the batch step ends, even once closed).
   */
  static final String SNAPSHOT_DATASOURCE = "jdbc/guardianSnapshot";

  private DataSource snapshots;

  protected SqliteRecordStore() {}

  /**
   * @param snapshots where {@link #openSnapshot()} takes its connection: a datasource of its own on
   *     the same file
   */
  public SqliteRecordStore(EntityManager em, DataSource dataSource, DataSource snapshots) {
    super(em, dataSource);
    this.snapshots = snapshots;
  }

  @Override
  public String backend() {
    return "sqlite";
  }

  @Override
  public int concurrentWriters() {
    return 1;
  }

  @Override
  protected boolean sqliteEncoding() {
    return true;
  }

  @Override
  protected long poolMaxSize() {
    return 1;
  }

  /** Looked up on first use: only a SQLite server configures it. */
  @Override
  protected synchronized DataSource snapshots() {
    if (snapshots == null) {
      try {
        snapshots = InitialContext.doLookup(SNAPSHOT_DATASOURCE);
      } catch (NamingException e) {
        throw new IllegalStateException(
            SNAPSHOT_DATASOURCE + " is not configured: " + e.getMessage(), e);
      }
    }
    return snapshots;
  }
}
