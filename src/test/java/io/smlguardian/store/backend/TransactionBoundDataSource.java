package io.smlguardian.store.backend;

import jakarta.persistence.EntityManager;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What the server's jdbc/guardian gives the JPA store, outside the server: within the entity
 * manager's transaction, the connection of that transaction (as a JTA datasource enlists its
 * connection in the caller's transaction), so the store's plain JDBC statements commit or roll back
 * with its JPA work; outside a transaction, a connection of its own. Closing the transaction's
 * connection leaves it to the transaction.
 */
final class TransactionBoundDataSource implements DataSource {

  private final Supplier<EntityManager> transaction;
  private final DataSource outside;

  /**
   * @param transaction the entity manager of the calling thread's transaction, null outside one
   * @param outside where connections outside a transaction come from
   */
  TransactionBoundDataSource(Supplier<EntityManager> transaction, DataSource outside) {
    this.transaction = transaction;
    this.outside = outside;
  }

  @Override
  public Connection getConnection() throws SQLException {
    EntityManager em = transaction.get();
    if (em == null || !em.getTransaction().isActive()) {
      return outside.getConnection();
    }
    Connection enlisted = em.unwrap(Connection.class); // begins the database transaction now
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              try {
                return method.invoke(enlisted, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection(String username, String password) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
