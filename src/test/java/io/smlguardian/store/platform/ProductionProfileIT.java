package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import io.smlguardian.store.testsupport.SecondServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server as production runs it, on second servers copied from the test server (same database):
 * without the build's development drop-in it has no OpenAPI document or UI and no local JMX
 * connector; with {@code HTTPS_ONLY=true} it refuses the API on plain HTTP and answers on HTTPS
 * with HSTS; and outside development it refuses to start without a token issuer.
 */
@Tag("postgresql") // starts copies of the PostgreSQL test server: once per build is enough
class ProductionProfileIT {

  private static final String STARTED = "CWWKZ0001I: Application guardian-store started";
  private static final String NOT_STARTED = "CWWKZ0012I";

  @Test
  void outsideDevelopmentTheServiceRefusesToStartWithoutATokenIssuer() throws Exception {
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-noIssuer", Map.of("DEPLOYMENT_MODE", "production", "JWT_ISSUER", ""))) {
      String log = server.awaitLog(Duration.ofMinutes(4), NOT_STARTED, "CWWKZ0001I");

      assertThat(log).doesNotContain(STARTED);
      assertThat(log).contains("Invalid security configuration").contains("JWT_ISSUER is not set");
      assertThat(Api.anonymous().get(server.baseUrl() + "/api/collections").status())
          .isEqualTo(404);
    }
  }

  @Test
  void inProductionThereIsNoOpenApiNorJmxAndHttpsOnlyServesTheApiOnHttpsWithHsts()
      throws Exception {
    try (SecondServer server =
        SecondServer.start(
            "guardianStore-production", Map.of("HTTPS_ONLY", "true"), List.of("development.xml"))) {
      String log = server.awaitLog(Duration.ofMinutes(4), STARTED, NOT_STARTED);
      assertThat(log).contains(STARTED).contains("Deployment mode: production");
      String serverUrl = server.baseUrl().replace("/guardian-store", "");
      awaitReady(serverUrl);

      assertThat(installedFeatures(log))
          .contains("mpjwt-2.1", "mphealth-4.0")
          .doesNotContain("mpopenapi-3.1", "localconnector-1.0");
      assertThat(Api.anonymous().get(serverUrl + "/openapi").status()).isEqualTo(404);
      assertThat(Api.anonymous().get(serverUrl + "/openapi/ui/").status()).isEqualTo(404);

      Api.Reply plain = Api.SERVICE.get(server.baseUrl() + "/api/collections");
      assertThat(plain.status()).as(plain.toString()).isEqualTo(403);
      assertThat(plain.contentType()).startsWith(Problem.MEDIA_TYPE);
      assertThat(plain.object().getString("detail")).contains("HTTPS_ONLY");
      assertThat(Api.anonymous().get(server.baseUrl() + "/console/").status()).isEqualTo(403);

      Api.Reply secure = Api.SERVICE.get(server.httpsBaseUrl() + "/api/collections");
      assertThat(secure.status()).as(secure.toString()).isEqualTo(200);
      assertThat(secure.header("Strict-Transport-Security")).isEqualTo(HttpsOnly.HSTS);
      Api.Reply refused = Api.anonymous().get(server.httpsBaseUrl() + "/api/collections");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("Strict-Transport-Security")).isEqualTo(HttpsOnly.HSTS);

      // Probes stay on plain HTTP.
      assertThat(Api.anonymous().get(serverUrl + "/health/ready").status()).isEqualTo(200);
    }
  }

  /** The build's own servers are in development mode: both protocols, no HSTS. */
  @Test
  void developmentServersServeBothProtocolsWithoutHsts() {
    Api.Reply secure = Api.get(Api.SERVER_HTTPS_URL + "/guardian-store/api/collections");
    Api.Reply plain = Api.get("/api/collections");

    assertThat(secure.status()).as(secure.toString()).isEqualTo(200);
    assertThat(plain.status()).isEqualTo(200);
    assertThat(secure.header("Strict-Transport-Security")).isNull();
  }

  private static List<String> installedFeatures(String log) {
    Matcher installed = Pattern.compile("CWWKF0012I: [^\\[]*\\[([^\\]]*)\\]").matcher(log);
    assertThat(installed.find()).as("the installed features are logged").isTrue();
    return List.of(installed.group(1).toLowerCase().split(",\\s*"));
  }

  private static void awaitReady(String serverUrl) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Api.anonymous().get(serverUrl + "/health/ready").status() == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not ready: " + serverUrl);
  }
}
