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
}
