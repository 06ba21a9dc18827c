package io.smlguardian.store.problem;

import java.util.Optional;

/**
 * Tells from a failure, and its causes, that something the service depends on is unavailable for
 * now, where the failure is not an {@link Unavailable} itself (a driver's or a fault-tolerance
 * library's exception, inside the container's wrappers). A feature that can tell provides one as a
 * CDI bean; the API answers what it finds as 503 before anything else.
 */
public interface UnavailabilityCheck {

  /** The unavailability the failure amounts to, if it is one. */
  Optional<Unavailable> of(Throwable failure);
}
