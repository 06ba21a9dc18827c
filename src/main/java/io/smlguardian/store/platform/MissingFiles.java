package io.smlguardian.store.platform;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.net.MalformedURLException;

/**
 * A path that falls to the container's file server (the console's files) and names no file is
 * answered 404 here, through the error page's problem+json, before the file server looks for it.
 * Left to the file server, the miss is a {@code FileNotFoundException} thrown back through the
 * filters, which Open Liberty records as an FFDC incident: a 404 is an expected outcome, never an
 * incident.
 */
@WebFilter(
    filterName = "missing-files",
    urlPatterns = "/*",
    dispatcherTypes = DispatcherType.REQUEST,
    asyncSupported = true) // lets the tarpit behind it suspend a request (UnauthenticatedTarpit)
public class MissingFiles extends HttpFilter {

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // The container's own file server is the default servlet: a request mapped to no servlet of
    // the WAR (the REST application, the error page, a test harness's servlet) falls to it.
    if (request.getHttpServletMapping().getMappingMatch() == MappingMatch.DEFAULT
        && !exists(request)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Whether the WAR holds a file or folder at the request's path. */
  private boolean exists(HttpServletRequest request) {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    try {
      return getServletContext().getResource(path) != null;
    } catch (MalformedURLException e) {
      return false; // no path of a file: nothing is served there
    }
  }
}
