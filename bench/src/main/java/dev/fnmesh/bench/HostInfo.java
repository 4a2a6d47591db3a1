package dev.fnmesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a result line needs to say about the machine: CPUs, Java, and the load average, because other
 * processes on a small machine move these numbers more than anything measured here.
 */
final class HostInfo {

  private HostInfo() {}

  static String describe() {
    return String.format(Locale.ROOT, "cpus=%d java=%s maxHeap=%dm loadavg=%s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, loadAverage());
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a" where there is none. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + "/" + fields[1] + "/" + fields[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "n/a";
    }
  }
}
