package io.smlguardian.store.resilience;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The one circuit breaker of the database, and its retries: every guarded call (see {@link
 * DatabaseBoundary}) and the readiness check's round trip go through {@link #call}, so that the
 * breaker sees all of the database's traffic of the request path.
 *
 * <p>Only a {@link DatabaseUnavailableException} counts as a failure: a refusal (400, 404, 412...)
 * is the database working. Only its {@link DatabaseUnavailableException.RolledBack} kind is
 * retried, after 200 ms ± 100 ms, at most twice and only within 2 s of the first attempt (a call
 * that waited its whole pool wait is not repeated). With 10 calls in its window of which half
 * failed, the breaker opens: calls are refused at once with a {@link CircuitBreakerOpenException}
 * for 5 s, then trial calls go through (half-open) and two successes close it again.
 *
 * <p>Every value is MicroProfile Config's to change, under this class and method: for example
 * {@code io.smlguardian.store.resilience.DatabaseGuard/call/CircuitBreaker/delay=10000}, {@code
 * .../call/Retry/maxRetries=0}, or {@code CircuitBreaker/enabled=false} for every breaker (see
 * docs/operations.md).
 */
@ApplicationScoped
public class DatabaseGuard {

  static final String METHOD = DatabaseGuard.class.getName() + "/call/";
  static final long BREAKER_DELAY_MILLIS = 5000;

  /**
   * Runs the work: its failures come out as they are, except the database's unavailability, which
   * comes out as a {@link DatabaseUnavailableException}.
   */
  @Retry(
      maxRetries = 2,
      delay = 200,
      jitter = 100,
      maxDuration = 2000,
      retryOn = DatabaseUnavailableException.RolledBack.class,
      abortOn = CircuitBreakerOpenException.class)
  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = BREAKER_DELAY_MILLIS,
      successThreshold = 2,
      failOn = DatabaseUnavailableException.class)
  public <T> T call(Callable<T> work) throws Exception {
    try {
      return work.call();
    } catch (Exception e) {
      throw DatabaseFailures.classify(e);
    }
  }

  /**
   * How long the breaker stays open, in whole seconds (at least 1): what a 503 answers as {@code
   * Retry-After}. Read from the same configuration as the breaker itself.
   */
  public static long retryAfterSeconds() {
    Config config = ConfigProvider.getConfig();
    long delay =
        config
            .getOptionalValue(METHOD + "CircuitBreaker/delay", Long.class)
            .or(() -> config.getOptionalValue("CircuitBreaker/delay", Long.class))
            .orElse(BREAKER_DELAY_MILLIS);
    ChronoUnit unit =
        config
            .getOptionalValue(METHOD + "CircuitBreaker/delayUnit", ChronoUnit.class)
            .or(() -> config.getOptionalValue("CircuitBreaker/delayUnit", ChronoUnit.class))
            .orElse(ChronoUnit.MILLIS);
    long millis = Duration.of(delay, unit).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}
