package io.smlguardian.store.resilience;

import io.smlguardian.store.problem.Refusal;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Map;

/**
 * Carries a {@link Refusal} out of a {@link DatabaseBoundary} call's transaction without throwing
 * it through the {@code @Transactional} interceptor.
 *
 * <p>Why: Open Liberty's transaction manager writes an FFDC incident (a file under {@code
 * logs/ffdc}, and a line in the server log) for every runtime exception that leaves a transactional
 * method, as for a failure of the server. A 404 or a 412 is no such failure, and a stream of them
 * would bury real incidents, and costs a stack walk and a file write each.
 *
 * <p>How: this interceptor sits inside {@code @Transactional} (JTA places that at {@code
 * PLATFORM_BEFORE + 200}). When the call ends in a refusal, it marks the transaction rollback-only
 * (a refusal undoes what the call wrote, as the exception would have), keeps the refusal in the
 * call's context data, and returns normally, so that the transaction rolls back quietly. {@link
 * DatabaseBoundaryInterceptor}, outside the transaction, throws the refusal again. Every other
 * exception passes through as it is.
 */
@DatabaseBoundary
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class RefusalCarrier {

  private static final String CARRIED = RefusalCarrier.class.getName();

  @Resource TransactionSynchronizationRegistry transactions;

  @AroundInvoke
  Object carry(InvocationContext call) throws Exception {
    try {
      return call.proceed();
    } catch (RuntimeException e) {
      if (!Refusal.isRefusal(e)) {
        throw e;
      }
      if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
        transactions.setRollbackOnly();
      }
      call.getContextData().put(CARRIED, e);
      return nothingOf(call.getMethod().getReturnType());
    }
  }

  /** Throws the refusal a call's {@link RefusalCarrier} kept, if any. */
  static void rethrowCarried(Map<String, Object> contextData) {
    if (contextData.remove(CARRIED) instanceof RuntimeException refusal) {
      throw refusal;
    }
  }

  /** A value the caller never sees (the refusal is thrown instead), of the method's type. */
  private static Object nothingOf(Class<?> type) {
    if (!type.isPrimitive() || type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == char.class) {
      return '\0';
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0d;
    }
    if (type == float.class) {
      return 0f;
    }
    if (type == int.class) {
      return 0;
    }
    return type == short.class ? (short) 0 : (byte) 0;
  }
}
