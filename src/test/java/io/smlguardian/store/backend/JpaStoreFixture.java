package io.smlguardian.store.backend;

import io.smlguardian.store.collection.CollectionDescriptor;
import io.smlguardian.store.jpa.H2RecordStore;
import io.smlguardian.store.jpa.JpaRecordStore;
import io.smlguardian.store.jpa.PostgresqlRecordStore;
import io.smlguardian.store.jpa.SQLitePlatform;
import io.smlguardian.store.jpa.SchemaMigration;
import io.smlguardian.store.jpa.SqliteRecordStore;
import io.smlguardian.store.testsupport.LocalTransactions;
import io.smlguardian.store.testsupport.RegisteredCollections;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import javax.naming.Context;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The JPA store outside the server, as the server builds it: the schema migrated by {@link
 * SchemaMigration} (Flyway, the vendor's scripts and the common ones), the application's own
 * persistence unit ({@code guardian}, persistence.xml) with EclipseLink over a plain JDBC URL and
 * resource-local transactions instead of JTA, and the backend's {@link JpaRecordStore} subclass
 * (the bean the server selects) constructed on them. The store's plain JDBC statements join the
 * entity manager's transaction ({@link TransactionBoundDataSource}).
 */
final class JpaStoreFixture implements StoreFixture {

  /** Each thread's transactions, innermost first. */
  private static final ThreadLocal<Deque<EntityManager>> CURRENT =
      ThreadLocal.withInitial(ArrayDeque::new);

  private final Backend backend;
  private final DataSource migrations;
  private final DataSource plain;
  private final EntityManagerFactory factory;
  private final AutoCloseable onClose;
  private final JpaRecordStore store;
  private final String previousNaming;

  private JpaStoreFixture(
      Backend backend,
      DataSource migrations,
      DataSource plain,
      Map<String, Object> connection,
      AutoCloseable onClose) {
    this.backend = backend;
    this.migrations = migrations;
    this.plain = plain;
    this.onClose = onClose;
    new SchemaMigration(migrations).migrate();
    Map<String, Object> properties = new HashMap<>(connection);
    properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
    properties.put("jakarta.persistence.jtaDataSource", "");
    properties.put("eclipselink.weaving", "false");
    properties.put("eclipselink.logging.level", "WARNING");
    this.factory = Persistence.createEntityManagerFactory("guardian", properties);
    // One store for every caller, as the backend's bean.
    DataSource joined = new TransactionBoundDataSource(JpaStoreFixture::current, plain);
    this.store =
        switch (backend) {
          case POSTGRESQL -> new PostgresqlRecordStore(transactionScoped(), joined);
          case SQLITE -> new SqliteRecordStore(transactionScoped(), joined, plain);
          case H2 -> new H2RecordStore(transactionScoped(), joined);
          case MONGODB -> throw new IllegalArgumentException("not a JPA backend");
        };
    // H2's user locks find the transaction registry in JNDI, as in the server.
    this.previousNaming =
        System.setProperty(
            Context.INITIAL_CONTEXT_FACTORY, LocalTransactions.Naming.class.getName());
  }

  /** H2 in this JVM's memory, as the memory backend runs. */
  static JpaStoreFixture h2() {
    String url = "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url);
    h2.setUser("sa");
    return new JpaStoreFixture(
        Backend.H2,
        h2,
        h2,
        Map.of("jakarta.persistence.jdbc.url", url, "jakarta.persistence.jdbc.user", "sa"),
        () -> {
          try (Connection c = h2.getConnection();
              Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
          }
        });
  }

  /** A SQLite file in WAL mode with a busy timeout, as sqlite.xml configures it. */
  static JpaStoreFixture sqlite() {
    Path directory;
    try {
      directory = Files.createTempDirectory("contract-sqlite");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Path file = directory.resolve("guardian.db");
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + file);
    sqlite.setJournalMode("WAL");
    sqlite.setBusyTimeout(30_000);
    return new JpaStoreFixture(
        Backend.SQLITE,
        sqlite,
        sqlite,
        Map.of(
            "jakarta.persistence.jdbc.url",
            "jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=30000",
            "eclipselink.target-database",
            SQLitePlatform.class.getName()),
        () -> {
          try (var files = Files.list(directory)) {
            for (Path f : files.toList()) {
              Files.delete(f);
            }
          }
          Files.delete(directory);
        });
  }

  /**
   * A real PostgreSQL (zonky's embedded binaries) on a free port, with the least-privilege roles of
   * production: the migrations run as the schema's owner, the store as the service's user, who may
   * read and write rows only.
   */
  static JpaStoreFixture postgresql() {
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder().setPGStartupWait(java.time.Duration.ofSeconds(90)).start();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        for (String sql : io.smlguardian.store.testsupport.EmbeddedPostgresLauncher.Server.ROLES) {
          s.execute(sql);
        }
      }
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage(), e);
    }
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    return new JpaStoreFixture(
        Backend.POSTGRESQL,
        postgresSource(postgres.getPort(), "guardian_owner"),
        postgresSource(postgres.getPort(), "guardian_app"),
        Map.of(
            "jakarta.persistence.jdbc.url",
            url + "?stringtype=unspecified",
            "jakarta.persistence.jdbc.user",
            "guardian_app",
            "jakarta.persistence.jdbc.password",
            ""),
        postgres);
  }

  private static DataSource postgresSource(int port, String user) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"localhost"});
    source.setPortNumbers(new int[] {port});
    source.setDatabaseName("postgres");
    source.setUser(user);
    source.setStringType("unspecified");
    return source;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  /**
   * A caller of the one store, as a request thread of the server: each transaction has an entity
   * manager of its own, which the store's entity manager stands for on this thread while it runs
   * (as the container's transaction-scoped one does), and a transaction begun within another
   * suspends it until it ends (REQUIRES_NEW).
   */
  @Override
  public Client client() {
    return new Client() {
      @Override
      public JpaRecordStore store() {
        return store;
      }

      @Override
      public <T> T inTransaction(Supplier<T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction transaction = em.getTransaction();
        transaction.begin();
        Deque<EntityManager> ongoing = CURRENT.get();
        ongoing.push(em);
        LocalTransactions.REGISTRY.begin();
        boolean committed = false;
        try {
          T result = work.get();
          if (transaction.getRollbackOnly()) {
            transaction.rollback();
          } else {
            transaction.commit();
            committed = true;
          }
          return result;
        } catch (RuntimeException | Error e) {
          if (transaction.isActive()) {
            transaction.rollback();
          }
          throw e;
        } finally {
          LocalTransactions.REGISTRY.end(committed);
          ongoing.pop();
          em.close();
        }
      }
    };
  }

  /** The entity manager of this thread's transaction, or null outside one. */
  private static EntityManager current() {
    return CURRENT.get().peek();
  }

  /** The store's entity manager: this thread's transaction's, as the container's proxy. */
  private static EntityManager transactionScoped() {
    return (EntityManager)
        Proxy.newProxyInstance(
            EntityManager.class.getClassLoader(),
            new Class<?>[] {EntityManager.class},
            (proxy, method, args) -> {
              EntityManager em = current();
              if (em == null) {
                throw new IllegalStateException(
                    "the store used its entity manager outside a transaction");
              }
              try {
                return method.invoke(em, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public void wipe() {
    List<CollectionDescriptor<?>> all = RegisteredCollections.all();
    Client client = client();
    client.inTransaction(
        () ->
            all.forEach(
                c -> {
                  client.store().deleteMatching(c, List.of());
                  client.store().clearStaging(c);
                }));
  }

  /**
   * PostgreSQL: an advisory lock not granted, in pg_locks. H2: the waiter parked on the store's
   * lock of this JVM.
   */
  @Override
  public boolean someoneAwaitsAUserLock(Thread waiter) {
    return switch (backend) {
      case POSTGRESQL -> {
        try (Connection c = plain.getConnection();
            Statement s = c.createStatement();
            ResultSet r =
                s.executeQuery(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
          r.next();
          yield r.getLong(1) > 0;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
      case H2 -> waiter.getState() == Thread.State.WAITING;
      default -> false;
    };
  }

  /** A connection as the service's user, outside the store's transactions. */
  Connection connection() throws SQLException {
    return plain.getConnection();
  }

  /** A connection as the schema's owner (who may ANALYZE its tables, as autovacuum does). */
  Connection ownersConnection() throws SQLException {
    return migrations.getConnection();
  }

  @Override
  public void close() {
    factory.close();
    if (previousNaming == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousNaming);
    }
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the " + backend + " fixture failed", e);
    }
  }
}
