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
 * before it takes a connection. It also throws the refusal a {@link RefusalCarrier} carried out of
 * the call's transaction.
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
    Object result;
    if (GUARDED.get() || transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
      result = call.proceed();
    } else {
      GUARDED.set(true);
      try {
        result = guard.call(call::proceed);
      } finally {
        GUARDED.set(false);
      }
    }
    // A refusal, carried past the call's transaction (RefusalCarrier): thrown here, outside it,
    // and after the guard, which counts it as the success of the database that it is.
    RefusalCarrier.rethrowCarried(call.getContextData());
    return result;
  }
}
