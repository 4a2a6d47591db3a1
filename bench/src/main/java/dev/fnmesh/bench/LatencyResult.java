package dev.fnmesh.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import static dev.fnmesh.bench.LatencyBench.ms;

/**
 * One pipeline's measured events of a {@link LatencyBench} run: their latencies, and where the slowest were.
 *
 * @param latencies of the measured events that got a reply, sorted
 * @param stalls the slowest windows of send time
 */
record LatencyResult(String name, long[] latencies, int missing, int duplicates, long gcs, long gcMillis,
    ResultTable stalls) {

  // Slow events are shown by the window of send time they fall in, so that a stall shows once, with its time.
  static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final int STALLS_SHOWN = 5;

  /**
   * @param measured which events count, by sequence number
   * @param gc the collections during its measured time
   */
  static LatencyResult of(String name, PacedProducer events, ReplyClock clock, IntPredicate measured, long measuredFrom,
      List<GcPauses.Pause> gc, GcPauses pauses) {
    long[] latencies = new long[events.count()];
    long[] windowMax = new long[(int) ((events.sentNanos(events.count() - 1) - measuredFrom) / WINDOW_NANOS) + 1];
    int replied = 0;
    int missing = 0;
    int duplicates = 0;
    for (int n = 0; n < events.count(); n++) {
      if (!measured.test(n)) {
        continue;
      }
      if (clock.duplicated(n)) {
        duplicates++;
      }
      long replyNanos = clock.repliedNanos(n);
      if (replyNanos == 0) {
        missing++;
      } else {
        long latency = replyNanos - events.sentNanos(n);
        latencies[replied++] = latency;
        int window = (int) ((events.sentNanos(n) - measuredFrom) / WINDOW_NANOS);
        windowMax[window] = Math.max(windowMax[window], latency);
      }
    }
    long[] sorted = Arrays.copyOf(latencies, replied);
    Arrays.sort(sorted);
    return new LatencyResult(name, sorted, missing, duplicates, gc.size(),
        gc.stream().mapToLong(GcPauses.Pause::millis).sum(), stalls(events, clock, measured, measuredFrom, windowMax,
        sorted, pauses));
  }

  // The windows whose slowest event was slowest, with the wall-clock time they began (to find them in a JFR
  // recording), how many of their events were slower than the p99, and the collections that stopped the JVM
  // while their events were under way.
  private static ResultTable stalls(PacedProducer events, ReplyClock clock, IntPredicate measured,
      long measuredFrom, long[] windowMax, long[] sorted, GcPauses pauses) {
    int[] windowSlow = new int[windowMax.length];
    long p99 = sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, (long) (sorted.length * 0.99))];
    for (int n = 0; n < events.count(); n++) {
      long replyNanos = clock.repliedNanos(n);
      if (measured.test(n) && replyNanos != 0 && replyNanos - events.sentNanos(n) > p99) {
        windowSlow[(int) ((events.sentNanos(n) - measuredFrom) / WINDOW_NANOS)]++;
      }
    }
    long epochNanosAtStart = Instant.now().toEpochMilli() * 1_000_000 - (System.nanoTime() - measuredFrom);
    ResultTable table = new ResultTable("sent from (UTC)", "s into measurement", "slowest ms", "events over p99",
        "GC pauses then (ms)");
    Integer[] order = new Integer[windowMax.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> windowMax[i]).reversed());
    for (int i = 0; i < Math.min(STALLS_SHOWN, order.length); i++) {
      int window = order[i];
      Instant at = Instant.ofEpochMilli((epochNanosAtStart + window * WINDOW_NANOS) / 1_000_000);
      long until = at.toEpochMilli() + (WINDOW_NANOS + windowMax[window]) / 1_000_000;
      String gc = pauses.between(at.toEpochMilli() - WINDOW_NANOS / 1_000_000, until).stream()
          .map(p -> String.valueOf(p.millis())).collect(Collectors.joining(" + "));
      table.row(at, String.format(Locale.ROOT, "%.1f", window * WINDOW_NANOS / 1e9), ms(windowMax[window]),
          windowSlow[window], gc.isEmpty() ? "none" : gc);
    }
    return table;
  }

  long percentile(double quantile) {
    if (latencies.length == 0) {
      return 0;
    }
    return latencies[(int) Math.min(latencies.length - 1, (long) Math.ceil(latencies.length * quantile) - 1)];
  }

  long max() {
    return latencies.length == 0 ? 0 : latencies[latencies.length - 1];
  }

  String line() {
    return String.format(Locale.ROOT, "p50 %s p99 %s p99.9 %s max %s ms (%d events, %d missing, %d GCs %d ms)",
        ms(percentile(0.50)), ms(percentile(0.99)), ms(percentile(0.999)), ms(max()), latencies.length, missing,
        gcs, gcMillis);
  }
}
