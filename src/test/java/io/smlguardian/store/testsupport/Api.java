package io.smlguardian.store.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain HTTP client for the server the build started (base URL from the {@code guardian.baseUrl}
 * system property that failsafe sets).
 */
public final class Api {

  public static final String BASE_URL =
      System.getProperty("guardian.baseUrl", "http://localhost:9080/guardian-store");

  /** The server root, where MicroProfile Health and OpenAPI live. */
  public static final String SERVER_URL = BASE_URL.substring(0, BASE_URL.lastIndexOf('/'));

  /** The server root on its HTTPS port, where /metrics is served. */
  public static final String SERVER_HTTPS_URL =
      "https://localhost:" + System.getProperty("guardian.https.port", "9443");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * For https:// URLs: the servers the build starts present Liberty's self-signed certificate for
   * localhost, made when the server was created, so the tests trust whatever certificate the server
   * on localhost presents.
   */
  private static final HttpClient TLS_CLIENT = tlsClient();

  private Api() {}

  /** A response: status, headers, and the body parsed as JSON when there is one. */
  public record Reply(int status, HttpResponse<String> raw) {

    public JsonValue json() {
      try (var reader = Json.createReader(new StringReader(raw.body()))) {
        return reader.readValue();
      }
    }

    public JsonObject object() {
      return json().asJsonObject();
    }

    public JsonArray items() {
      return object().getJsonArray("items");
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  /** The client the tests use unless they say otherwise: an internal service's token. */
  public static final Client SERVICE = as(TestTokens.token("it-service", "service"));

  /** A client that sends the token as its bearer credentials. */
  public static Client as(String token) {
    return new Client(token);
  }

  /** A client without credentials. */
  public static Client anonymous() {
    return new Client(null);
  }

  public static Reply get(String path) {
    return SERVICE.get(path);
  }

  public static Reply post(String path, Object json) {
    return SERVICE.post(path, json);
  }

  public static Reply patch(String path, Object json, String ifMatch) {
    return SERVICE.patch(path, json, ifMatch);
  }

  public static Reply delete(String path, String ifMatch) {
    return SERVICE.delete(path, ifMatch);
  }

  public static Reply send(String method, String path, String contentType, String body) {
    return SERVICE.send(method, path, contentType, body);
  }

  /** Requests with one caller's bearer token (none when the token is null). */
  public record Client(String token) {

    public Reply get(String path) {
      return call(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply post(String path, Object json) {
      return call(
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json.toString())));
    }

    public Reply patch(String path, Object json, String ifMatch) {
      var request =
          HttpRequest.newBuilder(uri(path))
              .header("Content-Type", "application/json")
              .method("PATCH", HttpRequest.BodyPublishers.ofString(json.toString()));
      if (ifMatch != null) {
        request.header("If-Match", ifMatch);
      }
      return call(request);
    }

    public Reply delete(String path, String ifMatch) {
      var request = HttpRequest.newBuilder(uri(path)).DELETE();
      if (ifMatch != null) {
        request.header("If-Match", ifMatch);
      }
      return call(request);
    }

    /** Any method, any body, any content type: for the error cases. */
    public Reply send(String method, String path, String contentType, String body) {
      var request =
          HttpRequest.newBuilder(uri(path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      return call(request);
    }

    private Reply call(HttpRequest.Builder request) {
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return Api.send(request);
    }
  }

  /**
   * Waits until the service is ready (schema migrated, database reachable), at most 3 minutes:
   * liberty:start returns once the server runs, which can be before the application has started.
   */
  public static void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (anonymous().get(SERVER_URL + "/health/ready").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // the server is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the service did not become ready at " + SERVER_URL);
  }

  /**
   * The Prometheus scrape of the server at {@code serverUrl} (its root on plain HTTP), read as an
   * operator: {@code /metrics} is served on HTTPS only, and its plain HTTP address redirects there.
   *
   * @param query e.g. {@code ?scope=base}, or empty
   */
  public static String metrics(String serverUrl, String query) {
    Reply redirect = anonymous().get(serverUrl + "/metrics" + query);
    if (redirect.status() != 302) {
      throw new IllegalStateException("/metrics on plain HTTP did not redirect: " + redirect);
    }
    Reply scrape =
        as(TestTokens.token("metrics-reader", "operator")).get(redirect.header("Location"));
    if (scrape.status() != 200) {
      throw new IllegalStateException("/metrics refused an operator: " + scrape);
    }
    return scrape.raw().body();
  }

  /** Encodes one query parameter value (filters contain reserved characters such as commas). */
  public static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : BASE_URL + path);
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
      HttpClient client = built.uri().getScheme().equals("https") ? TLS_CLIENT : CLIENT;
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient tlsClient() {
    try {
      javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
      trustAll.init(
          null,
          new javax.net.ssl.TrustManager[] {
            new javax.net.ssl.X509TrustManager() {
              @Override
              public void checkClientTrusted(
                  java.security.cert.X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(
                  java.security.cert.X509Certificate[] chain, String authType) {}

              @Override
              public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
              }
            }
          },
          new java.security.SecureRandom());
      javax.net.ssl.SSLParameters parameters = new javax.net.ssl.SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .sslContext(trustAll)
          .sslParameters(parameters)
          .build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
