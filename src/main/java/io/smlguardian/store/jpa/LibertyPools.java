package io.smlguardian.store.jpa;

import io.smlguardian.store.collection.StoreInfo.ConnectionPoolFigures;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The figures of a datasource's pool, from Open Liberty's {@code ConnectionPoolStats} MBean
 * (published with the monitor-1.0 feature; the same figures are its vendor metrics {@code
 * connectionpool_*}). Empty on a server that does not publish it: the status then says so instead
 * of guessing.
 */
final class LibertyPools {

  private static final Logger LOG = Logger.getLogger(LibertyPools.class.getName());

  private LibertyPools() {}

  static Optional<ConnectionPoolFigures> figures(String datasource, long maxSize) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name :
          server.queryNames(new ObjectName("WebSphere:type=ConnectionPoolStats,*"), null)) {
        if (datasource.equals(name.getKeyProperty("name"))) {
          long managed = number(server, name, "ManagedConnectionCount");
          long free = number(server, name, "FreeConnectionCount");
          return Optional.of(
              new ConnectionPoolFigures(
                  datasource,
                  maxSize,
                  managed,
                  Math.max(0, managed - free),
                  free,
                  number(server, name, "CreateCount"),
                  number(server, name, "DestroyCount"),
                  name.toString()));
        }
      }
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.FINE, "No connection pool figures", e);
    }
    return Optional.empty();
  }

  private static long number(MBeanServer server, ObjectName name, String attribute)
      throws JMException {
    return ((Number) server.getAttribute(name, attribute)).longValue();
  }
}
