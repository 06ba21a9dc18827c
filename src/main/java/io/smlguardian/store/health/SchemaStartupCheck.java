package io.smlguardian.store.health;

import io.smlguardian.store.jpa.SchemaMigration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the schema migrations have run. */
@Startup
@ApplicationScoped
public class SchemaStartupCheck implements HealthCheck {

  @Inject SchemaMigration migration;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("schema")
        .status(migration.completed())
        .withData("version", String.valueOf(migration.schemaVersion()))
        .build();
  }
}
