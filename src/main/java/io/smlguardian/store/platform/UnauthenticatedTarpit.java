package io.smlguardian.store.platform;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Holds an API request without a valid token for {@code UNAUTHENTICATED_DELAY_MS} (default 100)
 * before the API answers it (401, from {@link AuthorizationFilter}; or what the API answers such a
 * request before authentication: 400, 414 or 431 for a malformed or oversized request, 404 for a
 * path it does not serve): a tarpit, so that a flood of callers without credentials holds
 * connections, not cores, and cannot starve the callers with them. A caller with a valid token
 * never waits.
 *
 * <p>The request waits asynchronously: it is suspended and dispatched again once the delay is over,
 * so no request thread waits with it. (It slept on its request thread before: a flood over 64
 * connections then held 64 of the server's threads, the pool grew under it, and the callers with
 * credentials queued behind the sleepers while it did; see docs/benchmarks.md, the unauthenticated
 * flood.)
 *
 * <p>The server's MicroProfile JWT support has verified the token, if any, before any filter runs:
 * no principal means no valid token.
 */
@WebFilter(
    filterName = "unauthenticated-tarpit",
    urlPatterns = "/api/*",
    dispatcherTypes = DispatcherType.REQUEST,
    asyncSupported = true)
public class UnauthenticatedTarpit extends HttpFilter {

  /** How long past the delay a held request waits for its dispatch at most. */
  static final long DISPATCH_GRACE_MILLIS = 60_000;

  @Inject
  @ConfigProperty(name = "UNAUTHENTICATED_DELAY_MS", defaultValue = "100")
  long delayMillis;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  ScheduledExecutorService executor;

  public UnauthenticatedTarpit() {}

  /** A tarpit of the given delay on the given executor (its unit test's, outside a container). */
  UnauthenticatedTarpit(long delayMillis, ScheduledExecutorService executor) {
    this.delayMillis = delayMillis;
    this.executor = executor;
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (delayMillis <= 0 || request.getUserPrincipal() != null) {
      chain.doFilter(request, response);
      return;
    }
    if (!request.isAsyncSupported()) {
      // Only if a filter or servlet before the API cannot be suspended: then the delay still holds,
      // on this thread.
      sleep();
      chain.doFilter(request, response);
      return;
    }
    // Dispatched again to its own path once the delay is over, as an ASYNC dispatch, which this
    // filter (REQUEST only) does not see again: the API then answers it at once. The path is named:
    // dispatch() without one, called from the executor's thread, sent a request to the path of
    // another request held before it (Open Liberty 25.0.0.11; SecurityApiIT holds requests of
    // different paths at once).
    String target = request.getRequestURI().substring(request.getContextPath().length());
    if (request.getQueryString() != null) {
      target += "?" + request.getQueryString();
    }
    String path = target;
    AsyncContext waiting = request.startAsync();
    // The dispatch ends the wait. Should it never come (the application stopping and its executor
    // with it), the container's timeout ends the request with an error rather than leaving it open.
    waiting.setTimeout(delayMillis + DISPATCH_GRACE_MILLIS);
    executor.schedule(() -> waiting.dispatch(path), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void sleep() {
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
