package io.smlguardian.store.platform;

import io.smlguardian.store.security.Role;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API, under /api; every endpoint needs a verified MicroProfile JWT bearer token. */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT", realmName = "guardian-store")
@DeclareRoles({
  Role.USER_NAME,
  Role.SERVICE_NAME,
  Role.PRIVACY_OFFICER_NAME,
  Role.AUDITOR_NAME,
  Role.OPERATOR_NAME
})
@OpenAPIDefinition(
    info =
        @Info(
            title = "Guardian Store",
            version = "1",
            description =
                "Persistence service of SML Guardian: memories, dream cycles, profile snapshots,"
                    + " emotional states, interactions, sessions, access logs and metrics."
                    + " Every collection has the same operations; queries follow PostgREST's"
                    + " grammar (field=op.value, order, limit, offset, select). Errors are RFC 9457"
                    + " problem+json."))
public class RestApplication extends Application {}
