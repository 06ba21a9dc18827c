package io.smlguardian.store.resilience;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs a {@link DatabaseBoundary} call through the {@link DatabaseGuard}.
 *
 * <p>Its priority puts it outside the {@code @Transactional} interceptor (which JTA places at
 * {@code PLATFORM_BEFORE + 200}): the guard sees the call's transaction begin and end, so it
 * retries only calls whose transaction has rolled back, and the circuit breaker refuses a call
 * before it takes a connection.
 */
@DatabaseBoundary
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class DatabaseBoundaryInterceptor {

  /** Whether this thread is inside a guarded call already. */
  private static final ThreadLocal<Boolean> GUARDED = ThreadLocal.withInitial(() -> false);

  @Inject DatabaseGuard guard;
  @Resource TransactionSynchronizationRegistry transactions;

  @AroundInvoke
  Object guarded(InvocationContext call) throws Exception {
    if (GUARDED.get() || transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
      return call.proceed();
    }
    GUARDED.set(true);
    try {
      return guard.call(call::proceed);
    } finally {
      GUARDED.set(false);
    }
  }
}
