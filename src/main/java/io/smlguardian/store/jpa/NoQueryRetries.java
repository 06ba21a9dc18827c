package io.smlguardian.store.jpa;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.Session;

/**
 * Switches off EclipseLink's own retry of a read whose connection failed (by default 3 more
 * attempts, 5 s apart, of a read outside an EclipseLink transaction): in a database outage or a
 * pool wait timeout, every request then waited 10 s and more before it failed. The service retries
 * whole transactions itself, briefly and behind a circuit breaker ({@code
 * io.smlguardian.store.resilience.DatabaseGuard}). EclipseLink 4.0 has no persistence unit property
 * for it; {@code persistence.xml} names this class as {@code eclipselink.session.customizer}.
 */
public class NoQueryRetries implements SessionCustomizer {

  @Override
  public void customize(Session session) {
    session.getLogin().setQueryRetryAttemptCount(0);
  }
}
