package io.smlguardian.store.collection;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a backend's store bean: each of its calls on a collection is timed ({@link
 * MeasuredStoreInterceptor}), so that store latency is measured in one place, by no store and no
 * caller itself.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MeasuredStore {}
