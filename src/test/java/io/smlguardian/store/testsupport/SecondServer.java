package io.smlguardian.store.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A second Liberty server, copied from the build's test server (same installation, application,
 * configuration and database) and started with environment variables of the test's choosing, on
 * ports of its own: for what only a start can show, such as a configuration the application must
 * refuse.
 *
 * <p>Starts cost the build most of its time, so each one is made cheaper in two ways. A second
 * server runs in one of a few slot directories ({@code guardianStore-second-<n>}) that outlive it:
 * everything in a slot is replaced by a fresh copy for the next server but Liberty's {@code
 * workarea}, its cache of resolved features and scanned annotations, which halves the CPU a start
 * takes (a workarea cannot be copied to another server name: Liberty refuses its saved region
 * graph). And the copy's JVM compiles with C1 only ({@code -XX:TieredStopAtLevel=1}): a server that
 * lives for one test spends more on C2 compilations than they ever pay back.
 */
public final class SecondServer implements AutoCloseable {

  private static final Path WLP = Path.of(System.getProperty("wlp.home", "target/liberty/wlp"));
  private static final String TEMPLATE =
      System.getProperty("liberty.server.name", "guardianStore-it-9080");

  /** The slots in use now; a test may run several second servers at once. */
  private static final Set<String> SLOTS_IN_USE = new HashSet<>();

  private final String name;
  private final String slot;
  private final Path directory;
  private final int httpPort;
  private final int httpsPort;

  private SecondServer(String name, String slot, Path directory, int httpPort, int httpsPort) {
    this.name = name;
    this.slot = slot;
    this.directory = directory;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
  }

  /**
   * The environment of a server that keeps its backups, keys and audit digests in directories of
   * its own under {@code root} (as {@link OnItsOwnServers} needs), with {@code more} added: its
   * database, for instance.
   */
  public static Map<String, String> withOwnFilesIn(Path root, Map<String, String> more) {
    Map<String, String> environment = new HashMap<>(more);
    environment.put("BACKUP_DIR", root.resolve("backups").toString());
    environment.put("KEY_DIR", root.resolve("keys").toString());
    environment.put("AUDIT_DIGEST_DIR", root.resolve("audit-digests").toString());
    return environment;
  }

  /**
   * Copies the test server into a free slot and starts it with {@code environment} added; {@code
   * name} names it in the build's output (its kept logs).
   */
  public static SecondServer start(String name, Map<String, String> environment)
      throws IOException, InterruptedException {
    return start(name, environment, Map.of(), List.of());
  }

  /**
   * As {@link #start(String, Map)}, without some of the configuration drop-ins the build added
   * (e.g. {@code development.xml}: a server configured as in production).
   */
  public static SecondServer start(
      String name, Map<String, String> environment, List<String> withoutDropins)
      throws IOException, InterruptedException {
    return start(name, environment, Map.of(), withoutDropins);
  }

  /**
   * As {@link #start(String, Map)}, with {@code variables} set as server variables, which outrank
   * those the build sets for its servers (such as RETENTION_SCHEDULE): the environment cannot
   * change those.
   */
  public static SecondServer start(
      String name, Map<String, String> environment, Map<String, String> variables)
      throws IOException, InterruptedException {
    return start(name, environment, variables, List.of());
  }

  private static SecondServer start(
      String name,
      Map<String, String> environment,
      Map<String, String> variables,
      List<String> withoutDropins)
      throws IOException, InterruptedException {
    Path template = WLP.resolve("usr/servers").resolve(TEMPLATE);
    String slot = takeSlot();
    Path directory = WLP.resolve("usr/servers").resolve(slot);
    clearSlot(directory);
    copyTree(template, directory);
    Files.writeString(
        directory.resolve("jvm.options"),
        "\n-XX:TieredStopAtLevel=1\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    for (String dropin : withoutDropins) {
      Files.delete(directory.resolve("configDropins/overrides").resolve(dropin));
    }
    if (!variables.isEmpty()) {
      // Override files are read in name order, each over the ones before: after the build's.
      StringBuilder xml = new StringBuilder("<server>\n");
      variables.forEach(
          (key, value) ->
              xml.append("  <variable name=\"")
                  .append(key)
                  .append("\" value=\"")
                  .append(value)
                  .append("\"/>\n"));
      Path overrides = directory.resolve("configDropins/overrides");
      Files.createDirectories(overrides);
      Files.writeString(overrides.resolve("zz-second-server.xml"), xml.append("</server>\n"));
    }
    int httpPort = freePort();
    int httpsPort = freePort();
    Path bootstrap = directory.resolve("bootstrap.properties");
    String properties =
        Files.readString(bootstrap)
            .replaceAll("(?m)^HTTP_PORT=.*$", "HTTP_PORT=" + httpPort)
            .replaceAll("(?m)^HTTPS_PORT=.*$", "HTTPS_PORT=" + httpsPort);
    // A bootstrap property outranks the environment: one the test sets is set there instead.
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      properties =
          properties.replaceAll(
              "(?m)^" + java.util.regex.Pattern.quote(variable.getKey()) + "=.*$",
              java.util.regex.Matcher.quoteReplacement(
                  variable.getKey() + "=" + variable.getValue()));
    }
    Files.writeString(bootstrap, properties);
    // So does a variable the build set in a configuration drop-in (liberty.var.*, development.xml).
    try (Stream<Path> dropins = Files.list(directory.resolve("configDropins/overrides"))) {
      for (Path dropin : (Iterable<Path>) dropins::iterator) {
        String xml = Files.readString(dropin);
        for (Map.Entry<String, String> variable : environment.entrySet()) {
          xml =
              xml.replaceAll(
                  "<variable name=\""
                      + java.util.regex.Pattern.quote(variable.getKey())
                      + "\" value=\"[^\"]*\"",
                  java.util.regex.Matcher.quoteReplacement(
                      "<variable name=\""
                          + variable.getKey()
                          + "\" value=\""
                          + variable.getValue()
                          + "\""));
        }
        Files.writeString(dropin, xml);
      }
    }
    StringBuilder env = new StringBuilder();
    Path serverEnv = directory.resolve("server.env");
    if (Files.exists(serverEnv)) {
      env.append(Files.readString(serverEnv)).append('\n');
    }
    environment.forEach((key, value) -> env.append(key).append('=').append(value).append('\n'));
    Files.writeString(serverEnv, env);
    SecondServer server = new SecondServer(name, slot, directory, httpPort, httpsPort);
    server.command("start");
    return server;
  }

  /** The server's root URL (health checks, metrics). */
  public String serverUrl() {
    return "http://localhost:" + httpPort;
  }

  /** Base URL of the application on this server. */
  public String baseUrl() {
    return "http://localhost:" + httpPort + "/guardian-store";
  }

  /** Base URL of the application on this server's HTTPS port. */
  public String httpsBaseUrl() {
    return "https://localhost:" + httpsPort + "/guardian-store";
  }

  /**
   * Waits until the server's messages.log has a line containing one of {@code markers}, and returns
   * the whole log then.
   */
  public String awaitLog(Duration timeout, String... markers)
      throws IOException, InterruptedException {
    Path log = directory.resolve("logs/messages.log");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        String text = Files.readString(log);
        for (String marker : markers) {
          if (text.contains(marker)) {
            return text;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "none of " + List.of(markers) + " in " + log + " within " + timeout);
  }

  /** Kills the server's JVM at once (SIGKILL), as a crash would: nothing runs on its way out. */
  public void kill() throws IOException {
    Path pid = WLP.resolve("usr/servers/.pid").resolve(slot + ".pid");
    long id = Long.parseLong(Files.readString(pid).trim());
    ProcessHandle.of(id)
        .ifPresent(
            process -> {
              process.destroyForcibly();
              process.onExit().join();
            });
  }

  /** Starts the server again (after {@link #kill}), with these variables set anew. */
  public void restart(Map<String, String> environment) throws IOException, InterruptedException {
    Path serverEnv = directory.resolve("server.env");
    StringBuilder env = new StringBuilder();
    for (String line : Files.readAllLines(serverEnv)) {
      String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : line;
      if (!environment.containsKey(key)) {
        env.append(line).append('\n');
      }
    }
    environment.forEach((key, value) -> env.append(key).append('=').append(value).append('\n'));
    Files.writeString(serverEnv, env);
    Files.deleteIfExists(directory.resolve("logs/messages.log"));
    command("start");
  }

  /**
   * Stops the server and frees its slot; its logs are kept in {@code
   * target/second-servers/<name>-logs} for a failure's diagnosis.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      command("stop");
    } finally {
      Path logs = directory.resolve("logs");
      if (Files.isDirectory(logs)) {
        Path kept = WLP.toAbsolutePath().getParent().getParent().resolve("second-servers");
        deleteTree(kept.resolve(name + "-logs"));
        Files.createDirectories(kept);
        copyLogs(logs, kept.resolve(name + "-logs"));
      }
      clearSlot(directory);
      synchronized (SLOTS_IN_USE) {
        SLOTS_IN_USE.remove(slot);
      }
    }
  }

  private static String takeSlot() {
    synchronized (SLOTS_IN_USE) {
      for (int n = 0; ; n++) {
        String slot = "guardianStore-second-" + n;
        if (SLOTS_IN_USE.add(slot)) {
          return slot;
        }
      }
    }
  }

  /** Empties a slot but for Liberty's workarea, which the next server in it starts from. */
  private static void clearSlot(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        if (!child.getFileName().toString().equals("workarea")) {
          deleteTree(child);
        }
      }
    }
  }

  private static void copyLogs(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private void command(String action) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(WLP.resolve("bin/server").toString(), action));
    command.add(slot);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0 && action.equals("start")) {
      throw new IllegalStateException("server start " + name + " (" + slot + ") failed: " + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Copies the server's configuration and application, not what it writes while it runs. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(path);
        if (relative.startsWith("logs")
            || relative.startsWith("workarea")
            || relative.startsWith("tranlog")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
