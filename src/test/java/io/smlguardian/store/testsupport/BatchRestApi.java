package io.smlguardian.store.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Liberty's batch REST API ({@code /ibm/api/batch}) on the server under test: HTTPS only, on the
 * server's own self-signed certificate, which this client trusts without checking (test servers
 * only).
 */
public final class BatchRestApi {

  public static final String URL =
      "https://localhost:" + System.getProperty("guardian.https.port", "9443") + "/ibm/api/batch";

  private static final HttpClient CLIENT = client();

  private BatchRestApi() {}

  /**
   * A GET of a path under {@code /ibm/api/batch}, e.g. {@code /jobinstances}.
   *
   * @param authorization the Authorization header's value, or null for none
   */
  public static HttpResponse<String> get(String path, String authorization) {
    return send(HttpRequest.newBuilder(URI.create(URL + path)).GET(), authorization);
  }

  /** A POST of JSON to a path under {@code /ibm/api/batch}. */
  public static HttpResponse<String> post(String path, String authorization, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(URL + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        authorization);
  }

  /** The Authorization header of a bearer token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String authorization) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return CLIENT.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient client() {
    try {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null); // self-signed, for localhost
      return HttpClient.newBuilder().sslContext(trustAll).sslParameters(parameters).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
