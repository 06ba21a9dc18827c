package io.smlguardian.store.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code HTTPS_ONLY=true}: bearer tokens never travel in clear. A plain HTTP request to the WAR
 * (the API, the console) is refused with 403 problem+json before anything reads it, and every HTTPS
 * answer carries {@code Strict-Transport-Security}, so that browsers use nothing but HTTPS for the
 * host from then on. Off by default, because HSTS would hold a developer's browser to HTTPS on
 * localhost; MicroProfile Health stays on plain HTTP for probes, and {@code /metrics} is served on
 * HTTPS only in any mode.
 */
@WebFilter(filterName = "https-only", urlPatterns = "/*", asyncSupported = true)
public class HttpsOnly extends HttpFilter {

  /** One year, the value HSTS preload lists ask for. */
  static final String HSTS = "max-age=31536000; includeSubDomains";

  @Inject
  @ConfigProperty(name = "HTTPS_ONLY", defaultValue = "false")
  boolean httpsOnly;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!httpsOnly) {
      chain.doFilter(request, response);
      return;
    }
    if (!request.isSecure()) {
      Problem.write(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          "This service is served over HTTPS only (HTTPS_ONLY=true): send the request to its"
              + " HTTPS port, and treat any token sent here in clear as exposed.",
          Problem.extensions());
      return;
    }
    response.setHeader("Strict-Transport-Security", HSTS);
    chain.doFilter(request, response);
  }
}
