package io.smlguardian.store.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Starts an in-process server that speaks MongoDB's wire protocol (mongo-java-server, in memory)
 * for the build's mongodb test run: no mongod can be installed on the build machines. Run from
 * exec:java in Maven's JVM, it returns at once and the server lives until Maven exits.
 *
 * <p>As for {@link EmbeddedPostgresLauncher}: exec:java closes this class's class loader when main
 * returns, and then joins every non-daemon thread that main's thread group started; so the server
 * is loaded through a class loader of our own that is never closed, and started from a thread
 * outside that group (its network threads are not daemons).
 *
 * <p>Argument: port.
 */
public final class EmbeddedMongoLauncher {

  private EmbeddedMongoLauncher() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    ensureFree(port);
    URL[] classpath = ((URLClassLoader) EmbeddedMongoLauncher.class.getClassLoader()).getURLs();
    ClassLoader loader = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
    ThreadGroup top = Thread.currentThread().getThreadGroup();
    while (top.getParent() != null) {
      top = top.getParent();
    }
    Exception[] failure = new Exception[1];
    Thread starter =
        new Thread(
            top,
            () -> {
              try {
                loader
                    .loadClass(EmbeddedMongoLauncher.class.getName() + "$Server")
                    .getMethod("start", int.class)
                    .invoke(null, port);
              } catch (ReflectiveOperationException e) {
                failure[0] = e;
              }
            },
            "embedded-mongo-start");
    starter.setContextClassLoader(loader);
    starter.start();
    starter.join();
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private static void ensureFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IOException(
          "Port "
              + port
              + " is taken: a build left over? Stop it, or set -Dembedded.mongo.port to another"
              + " port.",
          e);
    }
  }

  /** Loaded in the private class loader; holds the server until the JVM exits. */
  public static final class Server {

    private static de.bwaldvogel.mongo.MongoServer server;

    public static void start(int port) {
      long started = System.nanoTime();
      server =
          new de.bwaldvogel.mongo.MongoServer(
              new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
      server.bind("localhost", port);
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
      System.out.printf(
          "[embedded-mongo] mongo-java-server up on localhost:%d in %d ms%n",
          port, (System.nanoTime() - started) / 1_000_000);
    }
  }
}
