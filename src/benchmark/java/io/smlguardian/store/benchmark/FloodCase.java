package io.smlguardian.store.benchmark;

import io.smlguardian.store.benchmark.LoadRunner.Figures;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Find by id at {@link #CLIENTS} clients, measured alone and then while {@link #CONNECTIONS} more
 * clients of their own send a fixed number of requests without a token (answered 401) as fast as
 * they are answered: whether requests that the server refuses still take the cores from those it
 * serves. The project's target is a p99 during the flood within twice the p99 alone; this measures
 * and prints, and asserts nothing. How much of the flooded run's measured calls the flood lasted
 * through is printed with it (raise {@code benchmark.floodRequests} when it ended early).
 *
 * <p>The API benchmark runs it on PostgreSQL after its operations, the flood benchmark on each
 * backend's server; the finds are the caller's ({@link LoadRunner.Clients}), over records it made.
 */
final class FloodCase {

  /** The authenticated clients, as at the API benchmark's higher number of clients. */
  static final int CLIENTS = 16;

  /** The flood's concurrent connections, each a client thread sending in a closed loop. */
  static final int CONNECTIONS = 64;

  /** The flood's request in logs and tables: find by id without a token. */
  static final String UNAUTHENTICATED = "unauthenticated find by id (401)";

  private final ServiceCalls api;
  private final LoadRunner.Clients unauthenticated;
  private final String findByIdLabel;
  private final LoadRunner.Clients findById;
  private final int calls;
  private final int warmup;
  private final int floodRequests;
  private final Consumer<String> log;

  /**
   * @param api the server, as the authenticated finds reach it (its CPU tells when it is quiet)
   * @param path the collection whose records the flood asks for, e.g. {@code
   *     /api/collections/interactions}
   * @param findByIdLabel the finds' name in logs and tables
   * @param findById the authenticated finds by id
   * @param calls the measured finds of each run
   * @param warmup each run's warm-up finds
   * @param floodRequests the flood's requests
   * @param log where progress goes
   */
  FloodCase(
      ServiceCalls api,
      String path,
      String findByIdLabel,
      LoadRunner.Clients findById,
      int calls,
      int warmup,
      int floodRequests,
      Consumer<String> log) {
    this.api = api;
    ServiceCalls anonymous = new ServiceCalls(api.baseUrl(), null);
    this.unauthenticated = c -> i -> anonymous.get(path + "/" + UUID.randomUUID(), 401);
    this.findByIdLabel = findByIdLabel;
    this.findById = findById;
    this.calls = calls;
    this.warmup = warmup;
    this.floodRequests = floodRequests;
    this.log = log;
  }

  /**
   * The runs of the case.
   *
   * @param coverage the share of the flooded run's measured time during which the flood ran
   */
  record Runs(Figures alone, Figures during, Figures flood, double coverage) {

    double p99Ratio() {
      return during.p99Millis() / alone.p99Millis();
    }

    double p50Ratio() {
      return during.p50Millis() / alone.p50Millis();
    }

    double callsRatio() {
      return during.callsPerSecond() / alone.callsPerSecond();
    }

    /**
     * The runs as the API benchmark prints them: a heading, a table of the three runs, and the
     * ratios.
     */
    String section() {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "%nFind by id alone and during a flood of %,d unauthenticated requests (random ids,"
                  + " no token, answered 401) over %d connections of their own; the project's"
                  + " target: p99 during the flood within 2x of p99 alone:%n%n",
              flood.calls(),
              CONNECTIONS));
      out.append("| run | clients | calls/s | p50 | p99 |\n");
      out.append("|---|---:|---:|---:|---:|\n");
      for (Figures run : List.of(alone, during, flood)) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %,.0f | %s | %s |%n",
                run.operation(),
                run.clients(),
                run.callsPerSecond(),
                millis(run.p50Millis()),
                millis(run.p99Millis())));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%nDuring the flood / alone: p99 %.2fx (target: within 2x), p50 %.2fx, calls/s %s."
                  + " The flood ran at %,.0f requests/s and lasted through %s of the flooded run's"
                  + " measured time.%n",
              p99Ratio(),
              p50Ratio(),
              percent(callsRatio()),
              flood.callsPerSecond(),
              percent(coverage)));
      return out.toString();
    }
  }

  /**
   * Warms the refused request up (unmeasured, like every other request of the benchmarks), then
   * measures find by id alone and during the flood, each after the server has gone quiet.
   *
   * @param serverWarmup the benchmark's server warm-up; the refusals' warm-up is at most 4,000
   */
  Runs run(int serverWarmup) throws Exception {
    // Each 401 waits out the server's tarpit (UNAUTHENTICATED_DELAY_MS) before it is answered, so
    // the warm-up runs on the flood's connections, and no longer than it needs to.
    log.accept(
        LoadRunner.run(
                UNAUTHENTICATED + " (server warm-up)",
                CONNECTIONS,
                0,
                Math.min(serverWarmup, 4000),
                unauthenticated)
            .describe());

    awaitQuietServer();
    Figures alone = LoadRunner.run(findByIdLabel + ", alone", CLIENTS, warmup, calls, findById);
    log.accept(alone.describe());

    awaitQuietServer();
    AtomicLong floodEnd = new AtomicLong();
    FutureTask<Figures> flood =
        new FutureTask<>(
            () -> {
              try {
                return LoadRunner.run(
                    UNAUTHENTICATED, CONNECTIONS, 0, floodRequests, unauthenticated);
              } finally {
                floodEnd.set(System.nanoTime());
              }
            });
    new Thread(flood, "unauthenticated-flood").start();
    Figures during =
        LoadRunner.run(findByIdLabel + ", during the flood", CLIENTS, warmup, calls, findById);
    long duringEnd = System.nanoTime();
    log.accept(during.describe());
    Figures flooded = flood.get();
    log.accept(flooded.describe());

    // Both runs' measured calls end about when their run returns; each lasted its figures' seconds.
    long duringStart = duringEnd - (long) (during.seconds() * 1e9);
    long floodStart = floodEnd.get() - (long) (flooded.seconds() * 1e9);
    double overlap =
        (Math.min(duringEnd, floodEnd.get()) - Math.max(duringStart, floodStart)) / 1e9;
    double coverage = Math.max(0, Math.min(1, overlap / during.seconds()));
    // Below 100% as printed: the two runs' ends are taken a moment apart, so a flood that outlasted
    // the run can still come out a hair short of it.
    if (Math.round(100 * coverage) < 100) {
      log.accept(
          String.format(
              Locale.ROOT,
              "the flood lasted through only %.0f%% of the flooded run: raise"
                  + " benchmark.floodRequests",
              100 * coverage));
    }
    return new Runs(alone, during, flooded, coverage);
  }

  /** Lets the server finish compiling before a measured run (at most a minute). */
  private void awaitQuietServer() throws InterruptedException {
    Duration waited = api.awaitQuiet(Duration.ofMinutes(1));
    log.accept(String.format(Locale.ROOT, "server quiet after %.1f s", waited.toMillis() / 1000.0));
  }

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
  }

  static String millis(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
