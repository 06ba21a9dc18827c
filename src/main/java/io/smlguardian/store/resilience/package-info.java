/**
 * The database's failures met in one place: every service call of the request path that reaches the
 * database carries {@link io.smlguardian.store.resilience.DatabaseBoundary}, whose interceptor runs
 * the whole call (its transaction included) through {@link
 * io.smlguardian.store.resilience.DatabaseGuard}: MicroProfile Fault Tolerance retries a call that
 * failed transiently and rolled back, and one circuit breaker for the database opens on sustained
 * failure, so that callers are answered 503 at once instead of waiting on a database that is gone.
 * {@link io.smlguardian.store.resilience.DatabaseFailures} decides which failures are transient.
 */
package io.smlguardian.store.resilience;
