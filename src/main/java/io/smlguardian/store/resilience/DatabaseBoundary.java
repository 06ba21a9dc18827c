package io.smlguardian.store.resilience;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service whose calls reach the database: a call made outside any transaction and outside
 * another such call goes through the {@link DatabaseGuard} (retries and the circuit breaker), with
 * its own transaction inside. Calls made inside a transaction or inside a guarded call run as they
 * are: a retry always repeats a whole transaction, never part of one.
 *
 * <p>Put it on services whose every method is one transaction or a read that may be repeated; a
 * method that commits several transactions in turn would repeat the committed ones on a retry.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DatabaseBoundary {}
