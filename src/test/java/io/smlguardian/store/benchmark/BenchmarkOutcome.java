package io.smlguardian.store.benchmark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a benchmark fail without leaving servers behind. The benchmarks run from exec:java in the
 * integration-test phase; if one threw there, Maven would stop at once and never reach
 * post-integration-test, where the Liberty servers are stopped. So a benchmark's failure is written
 * to a marker file instead and the build goes on; this class's {@code main}, run in the verify
 * phase after the servers are stopped, fails the build with it.
 */
public final class BenchmarkOutcome {

  /** A benchmark's work. */
  interface Work {
    void run() throws Exception;
  }

  private BenchmarkOutcome() {}

  /** Runs the work; a failure goes to the marker file (printed too), never out of this method. */
  static void guarded(Path marker, Work work) throws Exception {
    Files.deleteIfExists(marker);
    try {
      work.run();
    } catch (Throwable e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      System.err.println(trace);
      Files.createDirectories(marker.toAbsolutePath().getParent());
      Files.writeString(marker, trace.toString());
    }
  }

  /**
   * Fails when the benchmark left a failure marker.
   *
   * @param args the marker file
   */
  public static void main(String[] args) throws Exception {
    Path marker = Path.of(args[0]);
    if (Files.exists(marker)) {
      throw new IllegalStateException(
          "The benchmark failed (servers stopped; see above): " + Files.readString(marker));
    }
  }
}
