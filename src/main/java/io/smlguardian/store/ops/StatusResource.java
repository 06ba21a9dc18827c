package io.smlguardian.store.ops;

import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The service's status, for operators. */
@Path("status")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class StatusResource {

  @Inject StoreStatusService status;

  @GET
  @Operation(
      summary = "Backend, connection, pool, collections, last backup and purge",
      description =
          "The backend and its connection URL (no credentials), a round trip's latency, the"
              + " connection pool's figures; per collection the record count, storage size, oldest"
              + " record and its retention (cutoff, due, overdue); the latest executions of the"
              + " backup and retention-purge jobs.")
  public StoreStatus status() {
    return status.status(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }
}
