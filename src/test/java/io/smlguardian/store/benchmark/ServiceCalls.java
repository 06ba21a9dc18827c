package io.smlguardian.store.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's collection API as the benchmarks call it: java.net.http over HTTP/1.1 with
 * keep-alive (the client keeps one connection per concurrent caller and reuses it), a bearer token
 * on every request, and every answer read in full and checked for the expected status.
 */
final class ServiceCalls {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern CPU_TIME =
      Pattern.compile("(?m)^cpu_processCpuTime_seconds(?:\\{[^}]*\\})? ([0-9.Ee+]+)");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String baseUrl;
  private final String token;

  /**
   * @param baseUrl the application's URL, e.g. {@code http://localhost:9080/guardian-store}
   * @param token a bearer token with the {@code service} role
   */
  ServiceCalls(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  String baseUrl() {
    return baseUrl;
  }

  HttpResponse<String> get(String path, int expected) throws IOException, InterruptedException {
    return send(request(path).GET(), expected);
  }

  HttpResponse<String> post(String path, String json, int expected)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        expected);
  }

  HttpResponse<String> patch(String path, String json, long ifMatch, int expected)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("If-Match", "\"" + ifMatch + "\"")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)),
        expected);
  }

  HttpResponse<String> delete(String path, long ifMatch, int expected)
      throws IOException, InterruptedException {
    return send(request(path).header("If-Match", "\"" + ifMatch + "\"").DELETE(), expected);
  }

  /** The version an answer's ETag names. */
  static long version(HttpResponse<String> response) {
    String etag = response.headers().firstValue("ETag").orElseThrow();
    return Long.parseLong(etag.replace("\"", "").replace("W/", ""));
  }

  /** The id of a record a single insert created (the last segment of its Location). */
  static String createdId(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElseThrow();
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * The server process's CPU time so far, in nanoseconds, from its MicroProfile Metrics ({@code
   * cpu_processCpuTime_seconds}): what the server spent on a run, whatever else the machine ran.
   */
  long serverCpuNanos() {
    try {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(serverUrl() + "/metrics?scope=base")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = CPU_TIME.matcher(metrics);
      if (!m.find()) {
        throw new IllegalStateException("no cpu_processCpuTime_seconds in the server's /metrics");
      }
      return (long) (Double.parseDouble(m.group(1)) * 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String serverUrl() {
    return baseUrl.substring(0, baseUrl.lastIndexOf('/'));
  }

  /**
   * Waits until the server answers {@code /health/ready} with 200 (schema migrated, database
   * reachable), at most five minutes: servers start slowly on a loaded machine.
   */
  void awaitReady() throws InterruptedException {
    URI ready = URI.create(serverUrl() + "/health/ready");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> answer =
            http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        last = answer.statusCode() + " " + answer.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(ready + " did not become ready: " + last);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new UnexpectedAnswerException(response);
    }
    return response;
  }

  /** An answer other than the one the call expects. */
  static final class UnexpectedAnswerException extends IllegalStateException {
    private final int status;

    UnexpectedAnswerException(HttpResponse<String> response) {
      super(
          response.request().method()
              + " "
              + response.request().uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
      this.status = response.statusCode();
    }

    int status() {
      return status;
    }
  }
}
