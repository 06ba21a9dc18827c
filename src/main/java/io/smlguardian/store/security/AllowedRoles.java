package io.smlguardian.store.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call an endpoint (on a method, or on a resource class for all its methods). An
 * endpoint without it is refused to everyone: forgetting it fails closed.
 *
 * <p>Not {@code @RolesAllowed}: the server would then refuse unauthenticated requests itself, with
 * an empty body and no audit entry. Resources are {@code @PermitAll} to the container, and the REST
 * layer's authorization filter enforces these roles, answering problem+json and recording every
 * refusal.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AllowedRoles {
  Role[] value();
}
