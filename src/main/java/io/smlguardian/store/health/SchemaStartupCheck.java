package io.smlguardian.store.health;

import io.smlguardian.store.backend.StoreStartup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the backend is ready: schema migrations run, or MongoDB connected. */
@Startup
@ApplicationScoped
public class SchemaStartupCheck implements HealthCheck {

  @Inject StoreStartup startup;

  @Override
  public HealthCheckResponse call() {
    // Status only: the answer is anonymous (the backend is in /api/status, for operators).
    return HealthCheckResponse.named("schema").status(startup.completed()).build();
  }
}
