package io.smlguardian.store.ops;

import io.smlguardian.store.backend.Backend;
import io.smlguardian.store.backend.BackendConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The figures of the backend's connection pool, read from the platform MBean server, where both
 * pools publish them: Open Liberty's {@code ConnectionPoolStats} MBean of the jdbc/guardian
 * datasource (published with the monitor-1.0 feature; the same figures are its vendor metrics
 * {@code connectionpool_*}), and the MongoDB driver's {@code ConnectionPool} MBean (published by
 * its JMX pool listener, which the MongoDB store registers). Empty on a server that publishes
 * neither: the status then says so instead of guessing.
 */
@ApplicationScoped
public class ConnectionPools {

  static final String DATASOURCE = "jdbc/guardian";

  private static final Logger LOG = Logger.getLogger(ConnectionPools.class.getName());

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Inject BackendConfig backend;

  @Inject
  @ConfigProperty(name = "DB_POOL_SIZE", defaultValue = "10")
  long configuredPoolSize;

  /** The pool of the configured backend, if its figures are published. */
  public Optional<PoolStatus> current() {
    try {
      return backend.backend() == Backend.MONGODB ? mongo() : datasource();
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.FINE, "No connection pool figures", e);
      return Optional.empty();
    }
  }

  private Optional<PoolStatus> datasource() throws JMException {
    Set<ObjectName> names =
        server.queryNames(new ObjectName("WebSphere:type=ConnectionPoolStats,*"), null);
    for (ObjectName name : names) {
      if (DATASOURCE.equals(name.getKeyProperty("name"))) {
        long managed = number(name, "ManagedConnectionCount");
        long free = number(name, "FreeConnectionCount");
        Long maxSize = backend.backend() == Backend.SQLITE ? Long.valueOf(1) : configuredPoolSize;
        return Optional.of(
            new PoolStatus(
                DATASOURCE,
                maxSize,
                managed,
                Math.max(0, managed - free),
                free,
                number(name, "CreateCount"),
                number(name, "DestroyCount"),
                name.toString()));
      }
    }
    return Optional.empty();
  }

  private Optional<PoolStatus> mongo() throws JMException {
    Set<ObjectName> names =
        server.queryNames(new ObjectName("org.mongodb.driver:type=ConnectionPool,*"), null);
    for (ObjectName name : names) {
      long size = number(name, "Size");
      long checkedOut = number(name, "CheckedOutCount");
      return Optional.of(
          new PoolStatus(
              server.getAttribute(name, "Host") + ":" + server.getAttribute(name, "Port"),
              number(name, "MaxSize"),
              size,
              checkedOut,
              Math.max(0, size - checkedOut),
              null,
              null,
              name.toString()));
    }
    return Optional.empty();
  }

  private long number(ObjectName name, String attribute) throws JMException {
    return ((Number) server.getAttribute(name, attribute)).longValue();
  }
}
