package io.smlguardian.store.resilience;

import io.smlguardian.store.problem.UnavailabilityCheck;
import io.smlguardian.store.problem.Unavailable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Finds the database's unavailability in any failure the API is about to answer: the circuit
 * breaker open, or a transient failure of the database ({@link DatabaseFailures}) whether or not a
 * {@link DatabaseGuard} classified it already. Either is a 503 at once, with {@code Retry-After}
 * the breaker's delay, whatever the request was; never a 500.
 */
@ApplicationScoped
public class DatabaseUnavailability implements UnavailabilityCheck {

  private static final int MAX_CAUSES = 64;

  @Override
  public Optional<Unavailable> of(Throwable failure) {
    if (first(failure, CircuitBreakerOpenException.class) != null) {
      return Optional.of(new DatabaseUnavailableException.CircuitOpen(failure));
    }
    if (!DatabaseFailures.isTransient(failure)) {
      return Optional.empty();
    }
    DatabaseUnavailableException classified = first(failure, DatabaseUnavailableException.class);
    // Unclassified, it failed before the guard could tell a commit's outcome: as ever, nothing
    // was changed.
    return Optional.of(
        classified != null ? classified : new DatabaseUnavailableException.RolledBack(failure));
  }

  private static <T extends Throwable> T first(Throwable thrown, Class<T> kind) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return kind.cast(t);
      }
    }
    return null;
  }
}
