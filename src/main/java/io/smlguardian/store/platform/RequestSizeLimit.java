package io.smlguardian.store.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies over {@code MAX_REQUEST_BYTES} (default 1 MiB) with 413 problem+json,
 * before any of it is parsed: by the declared length when there is one, and by counting otherwise
 * (chunked bodies), so that no request can make the service buffer more than the limit.
 */
@Provider
@PreMatching
@ApplicationScoped
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestSizeLimit implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "MAX_REQUEST_BYTES", defaultValue = "1048576")
  long maxBytes;

  @Override
  public void filter(ContainerRequestContext request) {
    if (isArchiveUpload(request)) {
      return;
    }
    if (request.getLength() > maxBytes) {
      request.abortWith(Problem.response(Status.REQUEST_ENTITY_TOO_LARGE, tooLarge()));
      return;
    }
    request.setEntityStream(new Limited(request.getEntityStream(), maxBytes, tooLarge()));
  }

  /**
   * A backup archive uploaded by an operator (PUT backups/{id}/archive) is streamed to a file,
   * never buffered, and is as large as the store: the limit does not apply to it. The caller's role
   * is checked before the body is read.
   */
  private static boolean isArchiveUpload(ContainerRequestContext request) {
    return "PUT".equals(request.getMethod())
        && request.getUriInfo().getPath().matches("/?backups/[^/]+/archive");
  }

  private String tooLarge() {
    return "The request body is larger than "
        + maxBytes
        + " bytes (MAX_REQUEST_BYTES); send fewer records per request.";
  }

  /** A body read past the limit fails, whatever its declared length said. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private final String detail;
    private long read;

    Limited(InputStream in, long max, String detail) {
      super(in);
      this.max = max;
      this.detail = detail;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > max) {
        throw new PayloadTooLargeException(detail);
      }
    }
  }

  /** A body over the limit, found while reading it. */
  public static final class PayloadTooLargeException extends jakarta.ws.rs.WebApplicationException {
    public PayloadTooLargeException(String detail) {
      super(detail, Problem.response(Status.REQUEST_ENTITY_TOO_LARGE, detail));
    }
  }
}
