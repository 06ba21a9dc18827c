package io.smlguardian.store.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;

/** What else the machine was doing while a benchmark ran, printed beside its figures. */
final class MachineLoad {

  private MachineLoad() {}

  /** The machine's 1, 5 and 15 minute load averages (Linux), or "unknown". */
  static String averages() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  /**
   * The whole machine's CPU time so far, from Linux's {@code /proc/stat}: what every process used
   * (user, nice, system, interrupts) and what the hypervisor took from this virtual machine while
   * it had work to run (steal), in nanoseconds; null where there is no {@code /proc/stat}.
   */
  static Cpu cpu() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long nanosPerTick = 1_000_000_000L / 100; // USER_HZ, 100 on every Linux architecture in use
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7}) { // user nice system irq softirq
        busy += Long.parseLong(fields[i]);
      }
      long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
      return new Cpu(busy * nanosPerTick, steal * nanosPerTick);
    } catch (Exception e) {
      return null;
    }
  }

  /** The machine's CPU time at a moment: used by its processes, and stolen from it. */
  record Cpu(long busyNanos, long stolenNanos) {

    /** The CPU time from {@code earlier} to this. */
    Cpu since(Cpu earlier) {
      return new Cpu(busyNanos - earlier.busyNanos, stolenNanos - earlier.stolenNanos);
    }

    /** The share of the CPU time the machine wanted that the hypervisor took. */
    double stolenShare() {
      long wanted = busyNanos + stolenNanos;
      return wanted == 0 ? 0 : (double) stolenNanos / wanted;
    }
  }
}
