package dev.fnmesh.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time per thread group of this JVM between two moments, to show where a benchmark's time went
 * (consumer thread, event loop, producer I/O, broker). Threads are grouped by name with numbers and ids
 * removed, so that e.g. all broker request handlers add up to one row.
 */
final class ThreadCpu {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final long startNanos;

  private ThreadCpu() {
    for (long id : threads.getAllThreadIds()) {
      startCpu.put(id, threads.getThreadCpuTime(id));
    }
    startNanos = System.nanoTime();
  }

  /** Starts measuring now; threads started later count from zero. */
  static ThreadCpu start() {
    return new ThreadCpu();
  }

  /** The CPU time all threads of this JVM used since {@link #start()}, in nanoseconds. */
  long totalNanos() {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long now = threads.getThreadCpuTime(id);
      if (now >= 0) {
        total += now - Math.max(0, startCpu.getOrDefault(id, 0L));
      }
    }
    return total;
  }

  /** The same, without the threads {@code excluded}, e.g. a load generator's. */
  long totalNanosExcept(Set<Long> excluded) {
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long now = threads.getThreadCpuTime(id);
      if (now >= 0 && !excluded.contains(id)) {
        total += now - Math.max(0, startCpu.getOrDefault(id, 0L));
      }
    }
    return total;
  }

  /** The CPU time each thread group used since {@link #start()}, the busiest first, as a table. */
  ResultTable table(int rows) {
    return table(rows, Map.of());
  }

  /**
   * The same, with some threads put in groups of their own: {@code labels} maps a thread id to its group,
   * e.g. to tell a load generator's event loops from the server's, which have the same names.
   */
  ResultTable table(int rows, Map<Long, String> labels) {
    long wall = System.nanoTime() - startNanos;
    Map<String, Long> byGroup = new HashMap<>();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = threads.getThreadCpuTime(info.getThreadId());
      long used = now < 0 ? 0 : now - Math.max(0, startCpu.getOrDefault(info.getThreadId(), 0L));
      String group = labels.getOrDefault(info.getThreadId(), group(info.getThreadName()));
      byGroup.merge(group, used, Long::sum);
      total += used;
    }
    ResultTable table = new ResultTable("thread group", "cpu s", "% of one core");
    byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
        .forEach(e -> table.row(e.getKey(), ResultTable.seconds(e.getValue()), ResultTable.percent((double) e.getValue() / wall)));
    table.row("(all threads of this JVM; wall " + ResultTable.seconds(wall) + " s)", ResultTable.seconds(total),
        ResultTable.percent((double) total / wall));
    return table;
  }

  // "kafka-producer-network-thread | fnmesh-publisher-2f0c..." -> "kafka-producer-network-thread | fnmesh-publisher"
  private static String group(String name) {
    return name.replaceAll("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "")
        .replaceAll("-?\\d+", "");
  }
}
