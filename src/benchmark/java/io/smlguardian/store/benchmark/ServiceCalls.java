package io.smlguardian.store.benchmark;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.TestTokens;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPatch;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The service's collection API as the benchmarks call it: HTTP/1.1 with keep-alive (a pool with a
 * connection for each concurrent caller, reused from call to call), a bearer token on every request
 * (none at all when made without one: how a caller without credentials reaches the API), and every
 * answer read in full and checked for the expected status.
 *
 * <p>The client is Apache HttpClient's minimal classic one: blocking calls, no redirects, retries,
 * cookies or authentication schemes. The load generator runs on the same cores as the server, so
 * its own CPU per call is taken from the server: in a one-off comparison on a 2-core machine
 * against the same endpoint, {@code java.net.http} (which the harness used before) spent 0.28-0.51
 * ms of CPU per call, this client 0.07-0.13 ms, about what the JDBC side's driver spends. The API
 * benchmark prints the load generator's CPU per call in every run.
 */
final class ServiceCalls {

  private static final Timeout TIMEOUT = Timeout.ofMinutes(1);
  private static final Pattern CPU_TIME =
      Pattern.compile("(?m)^cpu_processCpuTime_seconds(?:\\{[^}]*\\})? ([0-9.Ee+]+)");

  private final CloseableHttpClient http =
      HttpClients.createMinimal(
          PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnTotal(256)
              .setMaxConnPerRoute(256)
              .setDefaultConnectionConfig(
                  ConnectionConfig.custom()
                      .setConnectTimeout(Timeout.ofSeconds(10))
                      .setSocketTimeout(TIMEOUT)
                      .build())
              .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
              .build());
  private final String baseUrl;
  private final String token;

  /** An answer, read in full. */
  record Answer(String request, int status, String body, Header[] headers) {

    Optional<String> header(String name) {
      for (Header header : headers) {
        if (header.getName().equalsIgnoreCase(name)) {
          return Optional.of(header.getValue());
        }
      }
      return Optional.empty();
    }
  }

  /**
   * @param baseUrl the application's URL, e.g. {@code http://localhost:9080/guardian-store}
   * @param token a bearer token with the {@code service} role, or null to send requests without an
   *     {@code Authorization} header
   */
  ServiceCalls(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /**
   * Calls to the server under test ({@code guardian.baseUrl}) with a development token of the role.
   */
  static ServiceCalls ofServerUnderTest(String subject, String role) {
    return new ServiceCalls(
        System.getProperty("guardian.baseUrl", "http://localhost:9080/guardian-store"),
        TestTokens.token(subject, role));
  }

  String baseUrl() {
    return baseUrl;
  }

  Answer get(String path, int expected) throws IOException {
    return send(authorized(new HttpGet(baseUrl + path)), expected);
  }

  Answer post(String path, String json, int expected) throws IOException {
    HttpPost post = authorized(new HttpPost(baseUrl + path));
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return send(post, expected);
  }

  Answer patch(String path, String json, long ifMatch, int expected) throws IOException {
    HttpPatch patch = authorized(new HttpPatch(baseUrl + path));
    patch.setHeader("If-Match", "\"" + ifMatch + "\"");
    patch.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return send(patch, expected);
  }

  Answer delete(String path, long ifMatch, int expected) throws IOException {
    HttpDelete delete = authorized(new HttpDelete(baseUrl + path));
    delete.setHeader("If-Match", "\"" + ifMatch + "\"");
    return send(delete, expected);
  }

  /** The version an answer's ETag names. */
  static long version(Answer answer) {
    String etag = answer.header("ETag").orElseThrow();
    return Long.parseLong(etag.replace("\"", "").replace("W/", ""));
  }

  /** The id of a record a single insert created (the last segment of its Location). */
  static String createdId(Answer answer) {
    String location = answer.header("Location").orElseThrow();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * The server process's CPU time so far, in nanoseconds, from its MicroProfile Metrics ({@code
   * cpu_processCpuTime_seconds}): what the server spent on a run, whatever else the machine ran.
   */
  long serverCpuNanos() {
    String metrics = Api.metrics(serverUrl(), "?scope=base");
    Matcher m = CPU_TIME.matcher(metrics);
    if (!m.find()) {
      throw new IllegalStateException("no cpu_processCpuTime_seconds in the server's /metrics");
    }
    return (long) (Double.parseDouble(m.group(1)) * 1e9);
  }

  /**
   * Waits until the server has been nearly idle (under a tenth of a core) for a whole second, at
   * most {@code limit}: a server keeps compiling what a warm-up made hot for a while after it, on
   * the cores the measured calls would need. Returns how long it waited.
   */
  Duration awaitQuiet(Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long cpu = serverCpuNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long now = serverCpuNanos();
      if (now - cpu < 100_000_000L) {
        break;
      }
      cpu = now;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private String serverUrl() {
    return baseUrl.substring(0, baseUrl.lastIndexOf('/'));
  }

  /**
   * Waits until the server answers {@code /health/ready} with 200 (schema migrated, database
   * reachable), at most five minutes: servers start slowly on a loaded machine.
   */
  void awaitReady() throws InterruptedException {
    HttpGet ready = new HttpGet(serverUrl() + "/health/ready");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        send(ready, 200);
        return;
      } catch (UnexpectedAnswerException notYet) {
        last = notYet.getMessage();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(ready.getRequestUri() + " did not become ready: " + last);
  }

  private <R extends HttpUriRequestBase> R authorized(R request) {
    if (token != null) {
      request.setHeader("Authorization", "Bearer " + token);
    }
    return request;
  }

  private Answer send(HttpUriRequestBase request, int expected) throws IOException {
    Answer answer =
        http.execute(
            request,
            response ->
                new Answer(
                    request.getMethod() + " " + request.getRequestUri(),
                    response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()),
                    response.getHeaders()));
    if (answer.status() != expected) {
      throw new UnexpectedAnswerException(answer);
    }
    return answer;
  }

  /** An answer other than the one the call expects. */
  static final class UnexpectedAnswerException extends IllegalStateException {
    private final int status;

    UnexpectedAnswerException(Answer answer) {
      super(answer.request() + " answered " + answer.status() + ": " + answer.body());
      this.status = answer.status();
    }

    int status() {
      return status;
    }
  }
}
