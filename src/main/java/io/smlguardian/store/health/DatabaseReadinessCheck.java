package io.smlguardian.store.health;

import io.smlguardian.store.collection.StoreInfo;
import io.smlguardian.store.resilience.DatabaseGuard;
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
 *
 * <p>The round trip goes through the database's circuit breaker ({@link DatabaseGuard}): while it
 * is open, the service is not ready, and once its delay has passed, this check's round trip is one
 * of the trial calls that close it again, so that the service becomes ready when the database is
 * back even when no request reaches it meanwhile (a load balancer sends none to a service that is
 * not ready).
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(DatabaseReadinessCheck.class.getName());

  @Inject StoreInfo store;
  @Inject DatabaseGuard guard;

  @Override
  public HealthCheckResponse call() {
    try {
      guard.call(
          () -> {
            store.ping();
            return null;
          });
      return HealthCheckResponse.up("database");
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Readiness: the database is unreachable", e);
      return HealthCheckResponse.down("database");
    }
  }
}
