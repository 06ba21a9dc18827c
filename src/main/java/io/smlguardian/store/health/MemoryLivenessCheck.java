package io.smlguardian.store.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live unless the heap is nearly exhausted after garbage collection could have freed it: a JVM in
 * that state answers slowly or not at all and is better restarted.
 */
@Liveness
@ApplicationScoped
public class MemoryLivenessCheck implements HealthCheck {

  @Inject
  @ConfigProperty(name = "HEALTH_MAX_HEAP_USE", defaultValue = "0.95")
  double maxHeapUse;

  @Override
  public HealthCheckResponse call() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    double use = (double) heap.getUsed() / max;
    // Status only: the answer is anonymous (the heap's figures are on /metrics, for operators).
    return HealthCheckResponse.named("heap").status(use < maxHeapUse).build();
  }
}
