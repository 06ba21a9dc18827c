package io.smlguardian.store.health;

import io.smlguardian.store.collection.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the backend in use answers a real round trip ({@code SELECT 1} on a relational
 * database, {@code ping} on MongoDB); reports the seed's {healthy, latency, message} with the
 * latency of that round trip in milliseconds, and the backend's name.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

  @Inject RecordStore store;

  @Override
  public HealthCheckResponse call() {
    long start = System.nanoTime();
    try {
      store.ping();
      long latency = (System.nanoTime() - start) / 1_000_000;
      return HealthCheckResponse.named("database")
          .up()
          .withData("healthy", true)
          .withData("latency", latency)
          .withData("message", "Database healthy (" + latency + "ms)")
          .withData("backend", store.backend())
          .build();
    } catch (RuntimeException e) {
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
