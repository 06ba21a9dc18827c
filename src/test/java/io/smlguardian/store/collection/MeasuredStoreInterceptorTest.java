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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
            "stamps",
            "findForUpdate",
            "find",
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
        .containsEntry("findById", "findById");
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
    return (MetricRegistry)
        Proxy.newProxyInstance(
            MetricRegistry.class.getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("timer")) {
                throw new UnsupportedOperationException(method.getName());
              }
              List<Tag> tags = List.of((Tag[]) args[args.length - 1]);
              return Proxy.newProxyInstance(
                  Timer.class.getClassLoader(),
                  new Class<?>[] {Timer.class},
                  (timer, timerMethod, timerArgs) -> {
                    if (timerMethod.getName().equals("update")
                        && timerArgs[0] instanceof Duration) {
                      updates.add(tags);
                      return null;
                    }
                    throw new UnsupportedOperationException(timerMethod.getName());
                  });
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
