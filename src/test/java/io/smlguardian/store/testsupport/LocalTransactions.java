package io.smlguardian.store.testsupport;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

/**
 * The server's transaction synchronization registry, for the resource-local transactions of the
 * contract's JPA clients and of unit tests on the MongoDB store: the H2 and MongoDB stores' user
 * locks ({@code collection/UserLocks}) look it up in JNDI and release a lock when the transaction
 * completes. {@link Naming} answers that one JNDI name while a fixture has it installed as the
 * initial context factory.
 */
public final class LocalTransactions implements TransactionSynchronizationRegistry {

  public static final LocalTransactions REGISTRY = new LocalTransactions();

  private static final String NAME = "java:comp/TransactionSynchronizationRegistry";

  /** Each thread's transactions, innermost first (a transaction begun within another). */
  private final ThreadLocal<java.util.Deque<Transaction>> transactions =
      ThreadLocal.withInitial(java.util.ArrayDeque::new);

  private static final class Transaction {
    final Map<Object, Object> resources = new HashMap<>();
    final List<Synchronization> synchronizations = new ArrayList<>();
    boolean rollbackOnly;
  }

  public void begin() {
    transactions.get().push(new Transaction());
  }

  /** Ends this thread's transaction, telling its synchronizations how. */
  public void end(boolean committed) {
    Transaction transaction = transactions.get().poll();
    if (transaction != null) {
      int status = committed ? Status.STATUS_COMMITTED : Status.STATUS_ROLLEDBACK;
      transaction.synchronizations.forEach(s -> s.afterCompletion(status));
    }
  }

  private Transaction active() {
    Transaction transaction = transactions.get().peek();
    if (transaction == null) {
      throw new IllegalStateException("no transaction");
    }
    return transaction;
  }

  @Override
  public Object getTransactionKey() {
    return transactions.get().peek();
  }

  @Override
  public void putResource(Object key, Object value) {
    active().resources.put(key, value);
  }

  @Override
  public Object getResource(Object key) {
    return active().resources.get(key);
  }

  @Override
  public void registerInterposedSynchronization(Synchronization sync) {
    active().synchronizations.add(sync);
  }

  @Override
  public int getTransactionStatus() {
    return transactions.get().isEmpty() ? Status.STATUS_NO_TRANSACTION : Status.STATUS_ACTIVE;
  }

  @Override
  public void setRollbackOnly() {
    active().rollbackOnly = true;
  }

  @Override
  public boolean getRollbackOnly() {
    return active().rollbackOnly;
  }

  /** An initial context that knows the registry, and no other name. */
  public static final class Naming implements InitialContextFactory {

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
      return (Context)
          Proxy.newProxyInstance(
              Context.class.getClassLoader(),
              new Class<?>[] {Context.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "lookup" -> {
                    if (NAME.equals(String.valueOf(args[0]))) {
                      return REGISTRY;
                    }
                    throw new NameNotFoundException(String.valueOf(args[0]));
                  }
                  case "close" -> {
                    return null;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                }
              });
    }
  }
}
