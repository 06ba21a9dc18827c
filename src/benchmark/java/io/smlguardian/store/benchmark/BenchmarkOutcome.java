package io.smlguardian.store.benchmark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a benchmark fail without leaving servers behind, and puts its table where the build keeps
 * its output. The benchmarks run from exec:java in the integration-test phase; if one threw there,
 * Maven would stop at once and never reach post-integration-test, where the Liberty servers are
 * stopped. So a benchmark's failure is written to a marker file instead and the build goes on; this
 * class's {@code main}, run in the verify phase after the servers are stopped, fails the build with
 * it.
 */
public final class BenchmarkOutcome {

  /** A benchmark's work. */
  public interface Work {
    void run() throws Exception;
  }

  /** A benchmark's work whose result is a table, for people to read. */
  public interface Table {
    String measure() throws Exception;
  }

  private BenchmarkOutcome() {}

  /**
   * Where a benchmark writes its table: {@code benchmark.output} when given, else the named file in
   * the build's directory ({@code benchmark.outputDir}, which the pom sets; {@code target} alone).
   */
  public static Path output(String fileName) {
    String named = System.getProperty("benchmark.output");
    return named != null
        ? Path.of(named)
        : Path.of(System.getProperty("benchmark.outputDir", "target")).resolve(fileName);
  }

  /** The marker a failed benchmark leaves for {@link #main}. */
  static Path marker() {
    return Path.of(System.getProperty("benchmark.failureMarker", "target/benchmark.failed"));
  }

  /** Runs the work; a failure goes to the marker file (printed too), never out of this method. */
  public static void guarded(Work work) throws Exception {
    Path marker = marker();
    Files.deleteIfExists(marker);
    try {
      work.run();
    } catch (Throwable e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      System.err.println(trace);
      failed(trace.toString());
    }
  }

  /** Marks the benchmark failed (it saw what it must not), for {@link #main} to report. */
  static void failed(String why) throws Exception {
    Path marker = marker();
    Files.createDirectories(marker.toAbsolutePath().getParent());
    Files.writeString(marker, why);
  }

  /**
   * Runs a benchmark that measures into a table, guarded: prints the table and writes it to {@link
   * #output(String) output(fileName)}.
   */
  public static void tabled(String fileName, Table table) throws Exception {
    guarded(
        () -> {
          String text = table.measure();
          Path output = output(fileName);
          System.out.println();
          System.out.println(text);
          Files.createDirectories(output.toAbsolutePath().getParent());
          Files.writeString(output, text);
          System.out.println("[benchmark] table written to " + output);
        });
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
