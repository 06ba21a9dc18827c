package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tarpit holds a request without a principal without holding its thread: the filter returns at
 * once, the request suspended, and it is dispatched again to its own path (to be refused by the
 * API) only once the delay is over. A request with a principal passes straight on. On the real
 * server, the 401s' delay and answer are {@code SecurityApiIT}'s, and the flood's effect the flood
 * benchmark's.
 */
class UnauthenticatedTarpitTest {

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  /** What the filter did to one request. */
  private static final class Seen {
    final AtomicBoolean passedOn = new AtomicBoolean();
    final AtomicBoolean suspended = new AtomicBoolean();
    final AtomicLong asyncTimeout = new AtomicLong(-1);
    final CountDownLatch dispatched = new CountDownLatch(1);
    volatile Object[] dispatchedTo;
  }

  private static HttpServletRequest request(Principal principal, Seen seen) {
    AsyncContext async =
        (AsyncContext)
            Proxy.newProxyInstance(
                AsyncContext.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "setTimeout" -> seen.asyncTimeout.set((Long) args[0]);
                    case "dispatch" -> {
                      seen.dispatchedTo = args;
                      seen.dispatched.countDown();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  }
                  return null;
                });
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            HttpServletRequest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) -> {
              return switch (method.getName()) {
                case "getUserPrincipal" -> principal;
                case "isAsyncSupported" -> true;
                case "getContextPath" -> "/guardian-store";
                case "getRequestURI" -> "/guardian-store/api/collections/memories/m%C3%A9";
                case "getQueryString" -> "fields=id&x=a%26b";
                case "startAsync" -> {
                  seen.suspended.set(true);
                  yield async;
                }
                default -> throw new UnsupportedOperationException(method.getName());
              };
            });
  }

  private static FilterChain chain(Seen seen) {
    return (request, response) -> seen.passedOn.set(true);
  }

  @Test
  void aRequestWithoutAPrincipalIsSuspendedAndDispatchedAgainOnlyOnceTheDelayIsOver()
      throws Exception {
    Seen seen = new Seen();
    UnauthenticatedTarpit tarpit = new UnauthenticatedTarpit(300, executor);

    long start = System.nanoTime();
    tarpit.doFilter(request(null, seen), (HttpServletResponse) null, chain(seen));

    assertThat(seen.suspended).isTrue();
    assertThat(seen.passedOn).as("the API sees it only when dispatched again").isFalse();
    assertThat(seen.asyncTimeout.get())
        .as("the container's timeout comes only long after the dispatch")
        .isEqualTo(300 + UnauthenticatedTarpit.DISPATCH_GRACE_MILLIS);
    assertThat(seen.dispatched.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.dispatchedTo)
        .as("to its own path, named (see the filter)")
        .containsExactly("/api/collections/memories/m%C3%A9?fields=id&x=a%26b");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void aRequestWithAPrincipalPassesOnAtOnce() throws Exception {
    Seen seen = new Seen();
    UnauthenticatedTarpit tarpit = new UnauthenticatedTarpit(300, executor);

    tarpit.doFilter(request(() -> "svc", seen), (HttpServletResponse) null, chain(seen));

    assertThat(seen.passedOn).isTrue();
    assertThat(seen.suspended).isFalse();
  }

  @Test
  void noDelayHoldsNoRequest() throws Exception {
    Seen seen = new Seen();
    UnauthenticatedTarpit tarpit = new UnauthenticatedTarpit(0, executor);

    tarpit.doFilter(request(null, seen), (HttpServletResponse) null, chain(seen));

    assertThat(seen.passedOn).isTrue();
    assertThat(seen.suspended).isFalse();
  }
}
