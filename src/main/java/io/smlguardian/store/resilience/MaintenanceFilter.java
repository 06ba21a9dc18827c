package io.smlguardian.store.resilience;

import io.smlguardian.store.platform.Problem;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Refuses every write of the API while the instance is in {@link Maintenance}, and every read of
 * records (collections, privacy exports), which would see a store half switched: 503 problem+json
 * with {@code Retry-After}, after authentication and authorization (a caller without a valid token
 * still gets its 401). Everything else goes on: status, health, the jobs of backups and restores.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.AUTHORIZATION + 10)
public class MaintenanceFilter implements ContainerRequestFilter {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  @Inject Maintenance maintenance;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (maintenance.active()
        && (WRITES.contains(request.getMethod())
            || path.startsWith("collections")
            || path.startsWith("/collections")
            || path.startsWith("privacy")
            || path.startsWith("/privacy"))) {
      try {
        maintenance.refuseDuring(request.getMethod() + " " + path);
      } catch (MaintenanceException e) {
        request.abortWith(Problem.of(e));
      }
    }
  }
}
