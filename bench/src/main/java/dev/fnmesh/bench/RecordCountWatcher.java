package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a topic fill up, on a thread of its own: every 50 ms it sums the topic's end offsets, notes when
 * the first record appeared and when the expected count was reached. Times are {@link System#nanoTime()}.
 */
final class RecordCountWatcher implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofMillis(50);

  /**
   * @param firstSeenNanos when a poll first saw records in the topic
   * @param countAtFirstSeen how many it saw then (they arrived in the 50 ms before)
   * @param doneNanos when a poll first saw at least the expected count
   * @param finalCount the count that poll saw; more than expected means duplicates
   */
  record Timeline(long firstSeenNanos, long countAtFirstSeen, long doneNanos, long finalCount) {

    /** Records per second from the first records seen to the last: the rate once the pipeline runs. */
    double steadyRate() {
      long nanos = doneNanos - firstSeenNanos;
      return nanos == 0 ? Double.NaN : (finalCount - countAtFirstSeen) / (nanos / 1e9);
    }
  }

  private final Admin admin;
  private final String topic;
  private final int partitions;
  private final long expected;
  private final Duration timeout;
  private final CompletableFuture<Timeline> timeline = new CompletableFuture<>();
  private final Thread thread;
  private volatile Runnable onFirstRecords = () -> {};

  RecordCountWatcher(KafkaSettings kafka, String topic, int partitions, long expected, Duration timeout) {
    this.admin = Admin.create(kafka.adminConfig("bench-watcher-" + topic));
    this.topic = topic;
    this.partitions = partitions;
    this.expected = expected;
    this.timeout = timeout;
    this.thread = new Thread(this::watch, "bench-watcher-" + topic);
    thread.setDaemon(true);
  }

  /**
   * Starts watching; the future completes when the count is reached, or fails after the timeout.
   *
   * @param onFirstRecords runs on the watcher's thread as soon as it saw the first records
   */
  CompletableFuture<Timeline> start(Runnable onFirstRecords) {
    this.onFirstRecords = onFirstRecords;
    thread.start();
    return timeline;
  }

  private void watch() {
    long deadline = System.nanoTime() + timeout.toNanos();
    long firstSeen = -1;
    long countAtFirstSeen = 0;
    try {
      while (System.nanoTime() < deadline) {
        // The topic may not exist yet (fnmesh creates its reply topic at start): that counts as zero.
        long count = countOrZero();
        long now = System.nanoTime();
        if (count > 0 && firstSeen < 0) {
          firstSeen = now;
          countAtFirstSeen = count;
          onFirstRecords.run();
        }
        if (count >= expected) {
          timeline.complete(new Timeline(firstSeen, countAtFirstSeen, now, count));
          return;
        }
        TimeUnit.NANOSECONDS.sleep(INTERVAL.toNanos());
      }
      timeline.completeExceptionally(new IllegalStateException("topic=" + topic + " did not reach " + expected
          + " records within " + timeout.toSeconds() + " s; it has " + countOrZero()));
    } catch (InterruptedException e) {
      timeline.completeExceptionally(e);
    } catch (RuntimeException e) {
      timeline.completeExceptionally(e);
    }
  }

  private long countOrZero() {
    // Asking for the offsets of a topic that does not exist makes the admin client log an error per poll.
    if (!BenchKafka.await(admin.listTopics().names()).contains(topic)) {
      return 0;
    }
    try {
      return BenchKafka.recordCount(admin, topic, partitions);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof RetriableException) {
        return 0;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    admin.close();
  }
}
