package io.smlguardian.store.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.smlguardian.store.testsupport.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the server answers at its edges, where the API's own code has not run yet or never runs:
 * URLs the servlet container refuses, paths nothing serves, methods and media types the REST
 * runtime refuses, URLs and headers beyond the HTTP channel's limits. Each answer under the context
 * root is problem+json; none, anywhere, carries a class name, a stack frame or the runtime's
 * internal message ids. Requests go out on a raw socket where the URL is one that a well-behaved
 * client would refuse to send.
 */
class ServerEdgesIT {

  private static final URI BASE = URI.create(Api.BASE_URL);
  private static final String CONTEXT = BASE.getPath();

  /** A Java class name (package-qualified), a stack frame, or an internal message id. */
  private static final Pattern INTERNALS =
      Pattern.compile(
          "(?i)\\b(java|javax|jakarta|com\\.ibm|org\\.jboss|io\\.openliberty|org\\.eclipse)\\.[a-z]"
              + "|\\bat [\\w.$]+\\([\\w]+\\.java:\\d+\\)|Exception\\b|RESTEASY\\d+|SRVE\\d+|CWW\\w+\\d+");

  private final Api.Client service = Api.SERVICE;

  @Test
  void encodedSlashesAndBackslashesAreRefusedAsProblems() {
    for (String path :
        new String[] {
          "/api/backups/..%2F..%2Fdata%2Fsml_guardian.db",
          "/api/backups/..%5C..%5Cdata%5Csml_guardian.db",
          "/api/backups/%2E%2E%2F%2E%2E",
          "/api/collections/memories%23x"
        }) {
      Raw reply = raw("GET", CONTEXT + path, "Authorization: Bearer " + service.token());

      assertProblem(reply, 400, path);
    }
    // Under the static console, the file server looks for the decoded name and finds nothing.
    Raw traversal = raw("GET", CONTEXT + "/console/..%2FWEB-INF%2Fweb.xml");
    assertProblem(traversal, 404, "console traversal");
    assertThat(traversal.body()).doesNotContain("web-app");
  }

  @Test
  void pathsThatNothingServesUnderTheContextRootAreProblems() {
    for (String path : new String[] {"/nothing", "/WEB-INF/web.xml", "/problem", "/console/x"}) {
      assertProblem(raw("GET", CONTEXT + path), 404, path);
    }
    Api.Reply api = service.get("/api/nothing/here");
    assertProblem(api, 404);
    assertThat(api.object().getString("detail"))
        .isEqualTo("Nothing is served at " + CONTEXT + "/api/nothing/here.");
  }

  @Test
  void wrongMethodsAreProblemsThatNameTheAllowedOnes() {
    Api.Reply reply = service.send("PUT", "/api/collections", "application/json", "{}");

    assertProblem(reply, 405);
    assertThat(reply.header("Allow")).contains("GET");
    assertThat(reply.object().getString("detail")).startsWith("PUT is not allowed on ");
  }

  @Test
  void wrongMediaTypesAreProblems() {
    Api.Reply unsupported =
        service.send("POST", "/api/collections/memories", "text/plain", "hello");
    assertProblem(unsupported, 415);
    assertThat(unsupported.object().getString("detail")).contains("text/plain");

    Raw unacceptable =
        raw(
            "GET",
            CONTEXT + "/api/collections/memories",
            "Authorization: Bearer " + service.token(),
            "Accept: image/png");
    assertProblem(unacceptable, 406, "Accept: image/png");
  }

  @Test
  void aQueryThatIsNotPercentEncodingIsABadRequest() {
    Raw reply =
        raw(
            "GET",
            CONTEXT + "/api/collections/memories?limit=%zz",
            "Authorization: Bearer " + service.token());

    assertProblem(reply, 400, "?limit=%zz");
  }

  /**
   * Beyond the HTTP channel's limits (32 KB per URL or header, 500 headers) the request is refused
   * before any application exists for it: a 400 without a body, nothing to leak.
   */
  @Test
  void overlongUrlsAndHeadersAreRefusedWithoutABody() {
    String longPath = CONTEXT + "/api/collections/" + "a".repeat(40_000);
    String[] manyHeaders = new String[600];
    for (int i = 0; i < manyHeaders.length; i++) {
      manyHeaders[i] = "X-Header-" + i + ": v";
    }
    for (Raw reply :
        new Raw[] {
          raw("GET", longPath),
          raw("GET", CONTEXT + "/api/collections", "X-Long: " + "b".repeat(40_000)),
          raw("GET", CONTEXT + "/api/collections", manyHeaders)
        }) {
      assertThat(reply.status()).as(reply.head()).isEqualTo(400);
      assertThat(reply.body()).as(reply.head()).isEmpty();
    }
    // Below the limit, a long URL reaches the application and is answered there.
    assertProblem(raw("GET", CONTEXT + "/nothing/" + "a".repeat(20_000)), 404, "20 KB path");
  }

  /**
   * Under the API, URLs and headers longer than its own bound (8,192 characters), though within the
   * channel's, are refused as problems that say the bound, before authentication.
   */
  @Test
  void theApiRefusesUrlsAndHeadersOverItsBoundAsProblems() {
    Raw longQuery = raw("GET", CONTEXT + "/api/collections/memories?userId=" + "a".repeat(9_000));
    assertProblem(longQuery, 414, "9 KB query");
    assertThat(longQuery.body()).contains("8192");

    Raw longHeader =
        raw("GET", CONTEXT + "/api/collections/memories", "X-Long: " + "b".repeat(9_000));
    assertProblem(longHeader, 431, "9 KB header");
    assertThat(longHeader.body()).containsIgnoringCase("X-Long");

    // At the bound, the request goes on to the API (here: no token, so 401).
    String atBound = "/api/collections/memories?userId=";
    String path = CONTEXT + atBound + "a".repeat(8_192 - CONTEXT.length() - atBound.length());
    assertProblem(raw("GET", path), 401, "8 KB URL");
  }

  /**
   * A path that is not percent-encoding at all is refused by the web container before it knows the
   * application: its own short answer, which names no class (docs/security.md).
   */
  @Test
  void aPathThatIsNotPercentEncodingIsRefusedWithoutInternals() {
    Raw reply = raw("GET", CONTEXT + "/api/collections/%zz");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).doesNotContainPattern("(?i)exception|\\.java:|\\bat [\\w.$]+\\(");
  }

  /**
   * Liberty's own web modules (health, metrics) and paths outside every context root: a fixed
   * answer without the product's pages, classes or message ids.
   */
  @Test
  void libertysOwnRefusalsCarryNoInternals() {
    for (String path : new String[] {"/health/nothing", "/nothing", "/", "/health/%2Fx"}) {
      Raw reply = raw("GET", path);

      assertThat(reply.status()).as(path).isBetween(400, 404);
      assertThat(reply.body()).as(path).doesNotContainPattern(INTERNALS).doesNotContain("Liberty");
      assertThat(reply.head()).as(path).doesNotContain("$WSEP");
    }
  }

  private static void assertProblem(Api.Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).as(reply.toString()).startsWith(Problem.MEDIA_TYPE);
    assertThat(reply.object().getInt("status")).isEqualTo(status);
    assertThat(reply.raw().body()).doesNotContainPattern(INTERNALS);
  }

  private static void assertProblem(Raw reply, int status, String what) {
    assertThat(reply.status()).as(what + ": " + reply.head() + reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).as(what).startsWith(Problem.MEDIA_TYPE);
    assertThat(reply.body()).as(what).contains("\"status\":" + status);
    assertThat(reply.body()).as(what).doesNotContainPattern(INTERNALS);
    assertThat(reply.head()).as(what).doesNotContain("$WSEP");
  }

  /** A response read off the socket: status line and headers, and the body. */
  record Raw(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1).trim();
        }
      }
      return "";
    }
  }

  /** Sends the request line and headers exactly as given (no client-side checks of the URL). */
  private static Raw raw(String method, String target, String... headers) {
    try (Socket socket = new Socket(BASE.getHost(), BASE.getPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
      request.append("Host: ").append(BASE.getHost()).append(':').append(BASE.getPort());
      request.append("\r\nConnection: close\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      String head = end < 0 ? response : response.substring(0, end);
      String body = end < 0 ? "" : response.substring(end + 4);
      if (head.toLowerCase().contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new Raw(Integer.parseInt(head.split(" ")[1]), head, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    return body.toString();
  }
}
