package io.smlguardian.store.jpa;

import jakarta.persistence.EntityManager;
import java.util.logging.Logger;
import org.eclipse.persistence.sessions.Session;

/**
 * Switches off EclipseLink's own retry of a read whose connection failed (by default 3 more
 * attempts, 5 s apart, of a read outside an EclipseLink transaction): in a database outage or a
 * pool wait timeout, every request then waited 10 s and more before it failed. The service retries
 * whole transactions itself, briefly and behind a circuit breaker ({@code
 * io.smlguardian.store.resilience.DatabaseGuard}).
 *
 * <p>EclipseLink 4.0 has no persistence unit property for it, and a session customizer named in
 * persistence.xml would break every deployment of the WAR that does not see EclipseLink's API (the
 * in-container tests' archives, deployed through dropins): so it is set on the running session,
 * where the API is visible (server.xml gives the application third-party API visibility).
 */
public final class NoQueryRetries {

  private static final Logger LOG = Logger.getLogger(NoQueryRetries.class.getName());

  private NoQueryRetries() {}

  /**
   * Applies to the persistence unit's session (which the entity manager's unwrap reaches; Liberty's
   * factory wrapper does not unwrap to it); where that cannot be done, logs why.
   */
  public static void applyTo(EntityManager em) {
    try {
      em.unwrap(Session.class).getLogin().setQueryRetryAttemptCount(0);
      LOG.info("EclipseLink's own query retry is off: the service retries whole transactions");
    } catch (LinkageError | RuntimeException e) {
      LOG.warning(
          "EclipseLink's own query retry stays on (3 retries 5 s apart) for this deployment: " + e);
    }
  }
}
