package io.smlguardian.store.collection;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.memory.Memories;
import io.smlguardian.store.mongo.MongoRecordStore;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.junit.jupiter.api.Test;

class MeasuredStoreInterceptorTest {

  /**
   * The operations operators know from the metrics (docs/operations.md), by the store's method, and
   * none of the calls that are not store work on a collection.
   */
  @Test
  void timesTheRecordsAndBulkWorkOnACollectionUnderTheirKnownNames() {
    Map<String, String> timed =
        Arrays.stream(MongoRecordStore.class.getMethods())
            .filter(m -> MeasuredStoreInterceptor.operation(m).isPresent())
            .collect(
                Collectors.toMap(
                    Method::getName,
                    m -> MeasuredStoreInterceptor.operation(m).orElseThrow(),
                    (a, b) -> a));

    assertThat(timed)
        .containsOnlyKeys(
            "insert",
            "insertFinished",
            "insertIfAbsent",
            "insertNew",
            "findById",
            "findByIds",
            "findToChange",
            "stamps",
            "findForUpdate",
            "find",
            "findReadOnly",
            "count",
            "update",
            "delete",
            "deleteMatching",
            "timeKeyAt",
            "restore",
            "clearStaging",
            "stage",
            "dropStagedErased",
            "switchStaged",
            "lockCollection")
        .containsEntry("lockCollection", "lock")
        .containsEntry("insertFinished", "insert")
        .containsEntry("findById", "findById")
        .containsEntry("findToChange", "findById")
        .containsEntry("findReadOnly", "find");
  }

  /** A store method that calls another of the store's is one operation, timed once. */
  @Test
  void timesOnlyTheOutermostStoreCall() throws Exception {
    List<List<Tag>> updates = new ArrayList<>();
    MeasuredStoreInterceptor interceptor = new MeasuredStoreInterceptor();
    interceptor.registry = registry(updates);
    Object target = store("sqlite");
    Method ranged =
        BulkStore.class.getMethod(
            "count", CollectionDescriptor.class, List.class, TimeKeyRange.class);
    Method plain = RecordStore.class.getMethod("count", CollectionDescriptor.class, List.class);

    Object result =
        interceptor.timed(
            call(
                target,
                plain,
                new Object[] {Memories.COLLECTION, List.of()},
                () ->
                    interceptor.timed(
                        call(
                            target,
                            ranged,
                            new Object[] {Memories.COLLECTION, List.of(), TimeKeyRange.ALL},
                            () -> 7L))));

    assertThat(result).isEqualTo(7L);
    assertThat(updates)
        .containsExactly(
            List.of(
                new Tag("backend", "sqlite"),
                new Tag("collection", Memories.COLLECTION.name()),
                new Tag("operation", "count")));
  }

  /**
   * A timer is registered once and then found by its id; one the server removed (another copy of
   * the WAR undeployed) is registered again, so that its counts are never lost to a scrape; one the
   * registry lists but is still making (another request registering it) is not updated before it is
   * ready.
   */
  @Test
  void updatesOnlyATimerThatItsRegistrationAnswered() throws Exception {
    List<List<Tag>> updates = new ArrayList<>();
    Map<MetricID, Timer> timers = new HashMap<>();
    List<MetricID> registrations = new ArrayList<>();
    Set<Timer> ready = new HashSet<>();
    MeasuredStoreInterceptor interceptor = new MeasuredStoreInterceptor();
    interceptor.registry = registry(updates, timers, registrations, ready);
    Object target = store("postgresql");
    Method findById =
        RecordStore.class.getMethod("findById", CollectionDescriptor.class, UUID.class);
    Object[] parameters = {Memories.COLLECTION, UUID.randomUUID()};
    MetricID id =
        new MetricID(
            MeasuredStoreInterceptor.TIMER,
            new Tag("backend", "postgresql"),
            new Tag("collection", Memories.COLLECTION.name()),
            new Tag("operation", "findById"));

    for (int i = 0; i < 3; i++) {
      interceptor.timed(call(target, findById, parameters, () -> null));
    }
    assertThat(registrations).containsExactly(id);
    timers.clear(); // removed
    interceptor.timed(call(target, findById, parameters, () -> null));
    assertThat(registrations).containsExactly(id, id);
    timers.put(id, timer(updates, id, ready)); // listed again, by a registration under way
    interceptor.timed(call(target, findById, parameters, () -> null));

    assertThat(registrations).containsExactly(id, id, id);
    assertThat(updates).hasSize(5).containsOnly(List.of(id.getTagsAsArray()));
  }

  private static StoreInfo store(String backend) {
    return (StoreInfo)
        Proxy.newProxyInstance(
            StoreInfo.class.getClassLoader(),
            new Class<?>[] {StoreInfo.class},
            (proxy, method, args) -> {
              if (method.getName().equals("backend")) {
                return backend;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static MetricRegistry registry(List<List<Tag>> updates) {
    return registry(updates, new HashMap<>(), new ArrayList<>(), new HashSet<>());
  }

  /**
   * A registry holding its timers in the given map, as the server's does: it answers a timer by id
   * as soon as it is listed, but only {@code timer(Metadata, Tag...)} makes one ready for updates.
   */
  private static MetricRegistry registry(
      List<List<Tag>> updates,
      Map<MetricID, Timer> timers,
      List<MetricID> registrations,
      Set<Timer> ready) {
    return (MetricRegistry)
        Proxy.newProxyInstance(
            MetricRegistry.class.getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getTimer" -> timers.get((MetricID) args[0]);
                  case "timer" -> {
                    MetricID id =
                        new MetricID(((Metadata) args[0]).getName(), (Tag[]) args[args.length - 1]);
                    registrations.add(id);
                    Timer timer = timers.computeIfAbsent(id, i -> timer(updates, i, ready));
                    ready.add(timer);
                    yield timer;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** A timer as the server's registry lists it: listed first, ready for updates once registered. */
  private static Timer timer(List<List<Tag>> updates, MetricID id, Set<Timer> ready) {
    return (Timer)
        Proxy.newProxyInstance(
            Timer.class.getClassLoader(),
            new Class<?>[] {Timer.class},
            (timer, timerMethod, timerArgs) -> {
              if (timerMethod.getName().equals("update") && timerArgs[0] instanceof Duration) {
                if (!ready.contains((Timer) timer)) {
                  throw new NullPointerException("not registered yet");
                }
                updates.add(List.of(id.getTagsAsArray()));
                return null;
              }
              if (timerMethod.getName().equals("hashCode")) {
                return System.identityHashCode(timer);
              }
              if (timerMethod.getName().equals("equals")) {
                return timer == timerArgs[0];
              }
              throw new UnsupportedOperationException(timerMethod.getName());
            });
  }

  private static InvocationContext call(
      Object target, Method method, Object[] parameters, Callable<Object> proceed) {
    return (InvocationContext)
        Proxy.newProxyInstance(
            InvocationContext.class.getClassLoader(),
            new Class<?>[] {InvocationContext.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getTarget" -> target;
                  case "getMethod" -> method;
                  case "getParameters" -> parameters;
                  case "proceed" -> proceed.call();
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }
}
