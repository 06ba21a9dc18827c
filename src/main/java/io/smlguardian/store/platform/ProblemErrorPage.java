package io.smlguardian.store.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page of the whole WAR (WEB-INF/web.xml): what the servlet container answers itself,
 * before or around the REST application, leaves as problem+json too. That is a URL the container
 * refuses (an encoded slash, backslash, dot or hash: 400), a path under the context root that
 * nothing serves (404), a method a static file does not allow (405), and any exception that escapes
 * a servlet or filter (500, with an incident id that finds the logged stack trace). The container's
 * own message is never shown: it names exception classes and internal message ids.
 */
@WebServlet(name = "problem", urlPatterns = ProblemErrorPage.PATH)
public class ProblemErrorPage extends HttpServlet {

  static final String PATH = "/problem";

  private static final Logger LOG = Logger.getLogger(ProblemErrorPage.class.getName());

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Throwable thrown = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    // Called directly, not as an error page: this path serves nothing.
    int status = code instanceof Integer c ? c : 404;
    var extensions = Problem.extensions();
    String detail = detail(status, request);
    if (status >= 500 && thrown != null) {
      String incident = UUID.randomUUID().toString();
      LOG.log(
          Level.SEVERE, "Unexpected failure in the web container, incident " + incident, thrown);
      extensions.add("incident", incident);
      detail = "The request failed unexpectedly. Incident " + incident + ".";
    }
    Problem.write(response, status, detail, extensions);
  }

  /** What to do about it, in the caller's terms: the path as requested, nothing internal. */
  private static String detail(int status, HttpServletRequest request) {
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String path = uri instanceof String s ? s : request.getRequestURI();
    return switch (status) {
      case 400 ->
          "The request is malformed. Paths may not contain encoded slashes, backslashes, dots or"
              + " hashes (%2F, %5C, %2E, %23).";
      case 401 -> "A valid bearer token is required.";
      case 403 -> "Access to " + path + " is not allowed.";
      case 404 -> "Nothing is served at " + path + ".";
      case 405 -> request.getMethod() + " is not allowed on " + path + ".";
      case 413 -> "The request is too large.";
      case 414 -> "The request URL is too long.";
      case 415 -> "The request's content type is not accepted here.";
      case 503 -> "The service is unavailable; retry shortly.";
      default -> status >= 500 ? "The request failed unexpectedly." : "The request was refused.";
    };
  }
}
