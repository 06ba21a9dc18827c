package io.smlguardian.store.collection;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Times the calls of a {@link MeasuredStore} bean on a collection, in one MicroProfile Metrics
 * timer per backend, collection and operation ({@value #TIMER}, in Prometheus {@code
 * guardian_store_operation_seconds}), whether the call succeeds or throws. Timed are the methods of
 * the records' and the bulk roles ({@link RecordStore}, {@link BulkStore}) that take a collection;
 * not the user locks, the snapshot (the backup job reports its own duration), nor what the store
 * tells about itself ({@link StoreInfo}: the readiness check reports its own latency, the status
 * asks for sizes off the request path).
 *
 * <p>Only the outermost store call of a thread is timed: the container intercepts a store's calls
 * of its own methods too (a count without a range calls the ranged one), and these are part of the
 * call that made them.
 *
 * <p>Each call checks that the registry still holds its timer rather than trusting a kept one: the
 * application registry is shared by every application on the server, and when another copy of this
 * WAR is undeployed (the in-container tests deploy one) the server removes the timers both used; a
 * kept timer would then count where no scrape sees it. The check is {@code getTimer(MetricID)}, a
 * map lookup by an id made once per backend, collection and operation, which must answer the very
 * timer that {@code timer(Metadata, Tag...)} registered and answered before: the registry lists a
 * new timer before it has finished making it, so a timer that {@code getTimer} finds but this
 * interceptor did not have from {@code timer} may not take an update yet (in a benchmark, a read
 * failed so on a timer's first use by two requests at once). {@code timer(Metadata, Tag...)}, made
 * on every store call until 2026-12-07, compares the tags with those of every metric registered and
 * files the timer's id under the application again: about 5% of the server's CPU in a profile of
 * reads by id.
 */
@MeasuredStore
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class MeasuredStoreInterceptor {

  /** The timer's name in the application registry. */
  public static final String TIMER = "guardian.store.operation";

  private static final Metadata METADATA =
      Metadata.builder()
          .withName(TIMER)
          .withDescription(
              "Time the store's backend took for one operation, by backend, collection and"
                  + " operation")
          .withUnit(MetricUnits.SECONDS)
          .build();

  /**
   * The operations whose metric name is not their method's (kept as operators know them: the API's
   * inserts were timed as insert, and the reads of updates and deletes as findById, before they had
   * methods of their own).
   */
  private static final Map<String, String> RENAMED =
      Map.of(
          "lockCollection",
          "lock",
          "insertFinished",
          "insert",
          "findToChange",
          "findById",
          "findReadOnly",
          "find");

  /** The names of the timed methods: those of the records' and the bulk roles on a collection. */
  private static final Set<String> TIMED =
      Stream.of(RecordStore.class, BulkStore.class)
          .flatMap(role -> Stream.of(role.getMethods()))
          .filter(
              m ->
                  m.getParameterCount() > 0
                      && m.getParameterTypes()[0] == CollectionDescriptor.class)
          .map(Method::getName)
          .collect(Collectors.toUnmodifiableSet());

  private record TimerKey(String backend, String collection, String operation) {}

  /** A timer as {@code timer(Metadata, Tag...)} answered it: made, and ready for updates. */
  private record Registered(MetricID id, Timer timer) {}

  private static final Map<TimerKey, Registered> REGISTERED = new ConcurrentHashMap<>();

  /** Whether this thread is inside a timed store call already. */
  private static final ThreadLocal<Boolean> TIMING = ThreadLocal.withInitial(() -> false);

  @Inject MetricRegistry registry;

  @AroundInvoke
  Object timed(InvocationContext call) throws Exception {
    Optional<String> operation = operation(call.getMethod());
    if (operation.isEmpty()
        || TIMING.get()
        || !(call.getParameters()[0] instanceof CollectionDescriptor<?> collection)) {
      return call.proceed();
    }
    TIMING.set(true);
    long start = System.nanoTime();
    try {
      return call.proceed();
    } finally {
      TIMING.set(false);
      timer(((StoreInfo) call.getTarget()).backend(), collection.name(), operation.get())
          .update(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The timer of one backend, collection and operation, registered on its first use. */
  Timer timer(String backend, String collection, String operation) {
    TimerKey key = new TimerKey(backend, collection, operation);
    Registered known = REGISTERED.get(key);
    if (known != null && registry.getTimer(known.id()) == known.timer()) {
      return known.timer();
    }
    MetricID id =
        known != null
            ? known.id()
            : new MetricID(
                TIMER,
                new Tag("backend", backend),
                new Tag("collection", collection),
                new Tag("operation", operation));
    Timer timer = registry.timer(METADATA, id.getTagsAsArray());
    REGISTERED.put(key, new Registered(id, timer));
    return timer;
  }

  /** The operation a store method is timed as, or empty when it is not timed. */
  static Optional<String> operation(Method method) {
    if (!TIMED.contains(method.getName())
        || method.getParameterCount() == 0
        || method.getParameterTypes()[0] != CollectionDescriptor.class) {
      return Optional.empty();
    }
    return Optional.of(RENAMED.getOrDefault(method.getName(), method.getName()));
  }
}
