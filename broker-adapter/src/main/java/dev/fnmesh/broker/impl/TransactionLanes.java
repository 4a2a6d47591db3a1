package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes batches, each in one Kafka transaction, over a few {@link TransactionLane}s: a transactional
 * producer commits one transaction at a time, so concurrent batches take the lane with the fewest waiting.
 * When every lane has {@code maxWaiting} batches, a batch is refused at once instead of queueing without
 * bound. The producers are made on first use: a process that publishes no batch opens no connection for them.
 */
final class TransactionLanes {

  /**
   * How long Kafka lets a transaction stay open before aborting it itself. A batch commits in milliseconds;
   * this bounds how long a process killed in the middle of one holds up read_committed readers of its
   * partitions (plus the broker's check interval, 10 s by default).
   */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;

  private final List<TransactionLane> lanes = new ArrayList<>();
  private final int maxWaiting;
  private final AtomicInteger next = new AtomicInteger();

  /** @param processId unique to this process, so that no two processes' transactional ids meet (they would fence) */
  TransactionLanes(KafkaSettings settings, String processId, int lanes, int maxWaiting, KafkaClientMeters meters) {
    this.maxWaiting = maxWaiting;
    for (int i = 0; i < lanes; i++) {
      String id = "fnmesh-batch-" + processId + "-" + i;
      Map<String, Object> config = settings.producerConfig(id);
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
      config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
      config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
      this.lanes.add(new TransactionLane(config, id, meters));
    }
  }

  /**
   * @return a stage completed off the caller's thread once every record is committed, or failed with
   *     {@link PublishException}: then none of them is visible to read_committed consumers
   */
  CompletionStage<Void> write(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    int start = Math.floorMod(next.getAndIncrement(), lanes.size());
    TransactionLane chosen = lanes.get(start);
    for (int i = 1; i < lanes.size() && chosen.waiting() > 0; i++) {
      TransactionLane lane = lanes.get((start + i) % lanes.size());
      if (lane.waiting() < chosen.waiting()) {
        chosen = lane;
      }
    }
    // A soft bound: two event loops may both take the last place, which costs one batch more, not a lock.
    if (chosen.waiting() >= maxWaiting) {
      return CompletableFuture.failedFuture(PublishException.busy(topic, "each of the " + lanes.size()
          + " transactional producers has " + maxWaiting + " batches waiting; retry later"));
    }
    return chosen.write(topic, records);
  }

  /** Lets the batches handed over finish and closes every lane, all at once; blocks. */
  void close() {
    lanes.forEach(TransactionLane::shutdown);
    lanes.forEach(TransactionLane::awaitShutdown);
  }
}
