package io.smlguardian.store.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Another process writing to the server's SQLite file, as the {@code sqlite3} shell or a backup
 * tool would: its own JVM, its own SQLite library instance, the database's own locks. It takes the
 * write lock with {@code BEGIN IMMEDIATE}, waiting at most the busy timeout the README documents,
 * writes (a table created, filled and dropped: a real write that leaves the service's schema as it
 * was), holds the lock a while as a real tool would, and commits.
 */
public final class OutsideSqliteWriter {

  private OutsideSqliteWriter() {}

  /** Runs one write in a new process; returns how long it took in ms, or throws when it failed. */
  public static long write(Path database, long busyTimeoutMillis, long holdMillis) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                OutsideSqliteWriter.class.getName(),
                database.toString(),
                Long.toString(busyTimeoutMillis),
                Long.toString(holdMillis))
            .redirectErrorStream(true);
    try {
      Process process = builder.start();
      if (!process.waitFor(busyTimeoutMillis + 60_000, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("The outside writer did not finish");
      }
      String output = new String(process.getInputStream().readAllBytes()).trim();
      String last = output.substring(output.lastIndexOf('\n') + 1);
      if (process.exitValue() != 0 || !last.startsWith("wrote in ")) {
        throw new AssertionError("The outside writer failed: " + output);
      }
      return Long.parseLong(last.substring("wrote in ".length(), last.indexOf(" ms")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The outside process: {@code database busyTimeoutMillis holdMillis}. */
  public static void main(String[] args) throws SQLException, InterruptedException {
    long started = System.nanoTime();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = " + Long.parseLong(args[1]));
      statement.execute("BEGIN IMMEDIATE");
      statement.execute("CREATE TABLE outside_writer_probe (n INTEGER)");
      statement.execute("INSERT INTO outside_writer_probe VALUES (1)");
      Thread.sleep(Long.parseLong(args[2]));
      statement.execute("DROP TABLE outside_writer_probe");
      statement.execute("COMMIT");
    }
    System.out.println("wrote in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }
}
