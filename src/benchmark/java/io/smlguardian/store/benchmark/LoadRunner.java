package io.smlguardian.store.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load harness: a number of client threads, each calling one operation again and
 * again, every call waiting for the previous one's answer. Each client first makes its warm-up
 * calls (not measured: they let the JIT compile and the pools fill), then all clients wait for each
 * other and make a fixed number of measured calls. Every measured call's latency goes into an
 * HdrHistogram; throughput is measured calls over the wall time from the common start to the last
 * client's end. Nothing here asserts on time: the figures are printed for people to read.
 */
final class LoadRunner {

  /** The longest latency the histograms record (longer calls are clamped to it). */
  private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

  /** One client's calls; it may keep state of its own (a connection, its records' versions). */
  interface Client extends AutoCloseable {

    /**
     * Makes one call and checks its answer.
     *
     * @param call the call's number within this client, from 0 (warm-up calls first)
     */
    void call(int call) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /** Makes the client of each thread, in that thread. */
  interface Clients {
    Client open(int client) throws Exception;
  }

  /**
   * What one run measured.
   *
   * @param cpuNanos what the run's probe counted during the measured calls (e.g. the server's CPU
   *     time), or -1 without a probe
   * @param clientCpuNanos the CPU time this process (the load generator) spent during the measured
   *     calls: on a machine it shares with the server, CPU the server did not get
   * @param machineCpuNanos the CPU time every process of the machine spent during the measured
   *     calls (the server, the load generator, the database, and whatever else ran), or -1 where
   *     the machine does not tell ({@link MachineLoad#cpu})
   */
  record Figures(
      String operation,
      int clients,
      long calls,
      double seconds,
      Histogram latency,
      long cpuNanos,
      long clientCpuNanos,
      long machineCpuNanos) {

    /** The probe's count per measured call, in milliseconds (NaN without a probe). */
    double cpuMillisPerCall() {
      return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e6 / calls;
    }

    /** The load generator's CPU time per measured call, in milliseconds. */
    double clientCpuMillisPerCall() {
      return clientCpuNanos / 1e6 / calls;
    }

    /** The whole machine's CPU time per measured call, in milliseconds (NaN where unknown). */
    double machineCpuMillisPerCall() {
      return machineCpuNanos < 0 ? Double.NaN : machineCpuNanos / 1e6 / calls;
    }

    /**
     * The share of the machine's cores that were busy during the measured calls (NaN where
     * unknown): below 1, the calls waited for something other than the processors.
     */
    double machineBusyShare() {
      return machineCpuNanos < 0
          ? Double.NaN
          : machineCpuNanos / (seconds * 1e9 * Runtime.getRuntime().availableProcessors());
    }

    double callsPerSecond() {
      return calls / seconds;
    }

    double p50Millis() {
      return latency.getValueAtPercentile(50) / 1e6;
    }

    double p99Millis() {
      return latency.getValueAtPercentile(99) / 1e6;
    }

    /** One line for the log: the run's figures as they came. */
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s, %d clients: %,d calls in %.2f s, %,.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms,"
              + " server CPU %.2f ms/call, load generator CPU %.2f ms/call,"
              + " machine CPU %.2f ms/call (cores %.0f%% busy)",
          operation,
          clients,
          calls,
          seconds,
          callsPerSecond(),
          p50Millis(),
          p99Millis(),
          latency.getMaxValue() / 1e6,
          cpuMillisPerCall(),
          clientCpuMillisPerCall(),
          machineCpuMillisPerCall(),
          100 * machineBusyShare());
    }
  }

  private LoadRunner() {}

  /** The numbers of clients to measure at: {@code benchmark.clients}, comma-separated. */
  static List<Integer> clientCounts(String byDefault) {
    return Arrays.stream(System.getProperty("benchmark.clients", byDefault).split(","))
        .map(String::trim)
        .map(Integer::valueOf)
        .toList();
  }

  /** Warm-up rounds of one kind of call at most ({@link #warmUntilSteady}). */
  static final int MAX_WARMUP_ROUNDS = 8;

  /**
   * Unmeasured rounds of {@code calls} calls at {@code clients} clients, at least two and at most
   * {@link #MAX_WARMUP_ROUNDS}, until the server's CPU per call (from {@code serverCpu}) falls by
   * less than 5% from one round to the next: a fixed warm-up left a server compiling the measured
   * run's paths (its JIT compiler the busiest thread in a profile of the measured calls).
   *
   * @param afterRound run after every round (to empty what the round filled, say)
   */
  static void warmUntilSteady(
      String label,
      int clients,
      int calls,
      Clients factory,
      LongSupplier serverCpu,
      Runnable afterRound)
      throws InterruptedException {
    double before = Double.NaN;
    for (int i = 1; i <= MAX_WARMUP_ROUNDS; i++) {
      Figures figures = run(label + " (round " + i + ")", clients, 0, calls, factory, serverCpu);
      System.out.println("[warm-up] " + figures.describe());
      afterRound.run();
      double now = figures.cpuMillisPerCall();
      if (now > before * 0.95) {
        return; // no longer getting cheaper (false for the first round, whose before is NaN)
      }
      before = now;
    }
  }

  /**
   * Runs {@code clients} clients, each making {@code warmup / clients} warm-up calls and then
   * {@code calls / clients} measured ones (both rounded up).
   *
   * @throws IllegalStateException with the first failure of any client
   */
  static Figures run(String operation, int clients, int warmup, int calls, Clients factory)
      throws InterruptedException {
    return run(operation, clients, warmup, calls, factory, null);
  }

  /**
   * As {@link #run(String, int, int, int, Clients)}, reading the probe when the measured calls
   * start and when they have all ended.
   *
   * @param probe a counter that only grows, such as a process's CPU time in nanoseconds
   */
  static Figures run(
      String operation, int clients, int warmup, int calls, Clients factory, LongSupplier probe)
      throws InterruptedException {
    int warmupPerClient = (warmup + clients - 1) / clients;
    int callsPerClient = (calls + clients - 1) / clients;
    Histogram total = new Histogram(MAX_LATENCY_NANOS, 3);
    AtomicLong start = new AtomicLong();
    AtomicLong probeAtStart = new AtomicLong();
    AtomicLong clientCpuAtStart = new AtomicLong();
    AtomicReference<MachineLoad.Cpu> machineAtStart = new AtomicReference<>();
    AtomicInteger arrived = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // Every client arrives here once, after its warm-up or when it failed: the last one to arrive
    // starts the clock, and then all go on (or, after a failure, stop).
    CountDownLatch measuring = new CountDownLatch(clients);
    Runnable arrive =
        () -> {
          try {
            if (arrived.incrementAndGet() == clients) {
              if (probe != null) {
                probeAtStart.set(probe.getAsLong());
              }
              clientCpuAtStart.set(ownCpuNanos());
              machineAtStart.set(MachineLoad.cpu());
              start.set(System.nanoTime());
            }
          } finally {
            measuring.countDown();
          }
        };
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int index = c;
      Thread thread =
          new Thread(
              () -> {
                Histogram mine = new Histogram(MAX_LATENCY_NANOS, 3);
                boolean warm = false;
                try (Client client = factory.open(index)) {
                  for (int i = 0; i < warmupPerClient && failure.get() == null; i++) {
                    client.call(i);
                  }
                  warm = true;
                  arrive.run();
                  measuring.await();
                  for (int i = 0; i < callsPerClient && failure.get() == null; i++) {
                    long before = System.nanoTime();
                    client.call(warmupPerClient + i);
                    mine.recordValue(Math.min(System.nanoTime() - before, MAX_LATENCY_NANOS));
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  if (!warm) {
                    arrive.run();
                  }
                }
                synchronized (total) {
                  total.add(mine);
                }
              },
              operation + "-client-" + c);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start.get()) / 1e9;
    long clientCpu = ownCpuNanos() - clientCpuAtStart.get();
    MachineLoad.Cpu machineAtEnd = MachineLoad.cpu();
    long machineCpu =
        machineAtEnd == null || machineAtStart.get() == null
            ? -1
            : machineAtEnd.since(machineAtStart.get()).busyNanos();
    if (failure.get() != null) {
      throw new IllegalStateException(
          operation + " with " + clients + " clients failed: " + failure.get(), failure.get());
    }
    long probed = probe == null ? -1 : probe.getAsLong() - probeAtStart.get();
    return new Figures(
        operation, clients, total.getTotalCount(), seconds, total, probed, clientCpu, machineCpu);
  }

  /** This process's CPU time so far, all threads (the JDK's process CPU clock). */
  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
