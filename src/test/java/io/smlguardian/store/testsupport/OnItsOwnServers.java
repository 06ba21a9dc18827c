package io.smlguardian.store.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class (or method) that works only on second servers of its own, each on a database, backup
 * directory and key directory of its own, and never calls the build's servers: it runs beside the
 * other test classes (which run one after the other) instead of after them. Most of its time is
 * spent waiting for its servers to start, stop or crash, which the machine's cores can spend on the
 * other tests. Such classes take turns among themselves (one shared lock), so at most two run at
 * once. A method so marked runs beside the other methods of its class, which ends when both have.
 *
 * <p>The build enables this in its failsafe configuration ({@code junit.jupiter.execution.parallel}
 * parameters); every class without this annotation runs in the same thread as before.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("second servers of their own")
public @interface OnItsOwnServers {}
