package io.smlguardian.store.health;

import io.smlguardian.store.collection.RecordStore;
import io.smlguardian.store.resilience.DatabaseGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the backend in use answers a real round trip ({@code SELECT 1} on a relational
 * database, {@code ping} on MongoDB); reports the seed's {healthy, latency, message} with the
 * latency of that round trip in milliseconds, and the backend's name.
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

  @Inject RecordStore store;
  @Inject DatabaseGuard guard;

  @Override
  public HealthCheckResponse call() {
    long start = System.nanoTime();
    try {
      guard.call(
          () -> {
            store.ping();
            return null;
          });
      long latency = (System.nanoTime() - start) / 1_000_000;
      return HealthCheckResponse.named("database")
          .up()
          .withData("healthy", true)
          .withData("latency", latency)
          .withData("message", "Database healthy (" + latency + "ms)")
          .withData("backend", store.backend())
          .build();
    } catch (Exception e) {
      long latency = (System.nanoTime() - start) / 1_000_000;
      return HealthCheckResponse.named("database")
          .down()
          .withData("healthy", false)
          .withData("latency", latency)
          .withData("message", "Database unreachable: " + e.getMessage())
          .build();
    }
  }
}
