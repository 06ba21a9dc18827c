package io.smlguardian.store.health;

import io.smlguardian.store.collection.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the backend in use answers a real round trip ({@code SELECT 1} on a relational
 * database, {@code ping} on MongoDB). The answer is anonymous, so it carries the status only: why
 * the database is unreachable (the driver's message names hosts, users and versions) goes to the
 * log, and operators see the connection, its latency and its error in {@code /api/status}.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(DatabaseReadinessCheck.class.getName());

  @Inject RecordStore store;

  @Override
  public HealthCheckResponse call() {
    try {
      store.ping();
      return HealthCheckResponse.up("database");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Readiness: the database is unreachable", e);
      return HealthCheckResponse.down("database");
    }
  }
}
