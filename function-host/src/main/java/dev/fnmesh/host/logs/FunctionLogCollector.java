package dev.fnmesh.host.logs;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.signing.SignedTopicReader;
import dev.fnmesh.broker.signing.StateSignatures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A controller's side of function logs in a mesh across processes: reads the mesh's log topic, where every host
 * writes its functions' entries ({@link FunctionLogShipper}), and records each entry that verifies with the
 * cluster key in this process's {@link FunctionLogBuffer}, naming its host. It starts with the last
 * {@link #BACKLOG} records on the topic, so that a controller that just started shows what the hosts wrote
 * before; the buffer bounds what is kept. Kafka's consumer blocks, so it runs on a thread of its own.
 */
public final class FunctionLogCollector implements AutoCloseable {

  /** Records read back at start, at most. */
  static final int BACKLOG = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(FunctionLogCollector.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long SKIP_REPORT_MS = Duration.ofMinutes(1).toMillis();

  private final String topic;
  private final FunctionLogs logs;
  private final SignedTopicReader reader;

  /** @param topic the mesh's log topic, created unless it exists */
  public FunctionLogCollector(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters, StateSignatures signatures,
      String topic, String clientId) {
    this.topic = topic;
    this.logs = FunctionLogs.of(vertx);
    this.reader = new SignedTopicReader(kafka, meters, signatures, topic, TopicPolicy.FUNCTION_LOG_TOPIC, clientId,
        "fnmesh-logs-" + clientId, POLL, SignedTopicReader.StartAt.last(BACKLOG), new Reading());
  }

  /** Starts reading; a topic that cannot be created yet is tried again every second. */
  public void start() {
    reader.start();
  }

  /** Stops reading; the future completes once the thread released its consumer. */
  public Future<Void> stop() {
    return reader.stop();
  }

  /** Stops reading. Blocks until the reading thread ended, at most 10 s: call it off any event loop. */
  @Override
  public void close() {
    reader.close();
  }

  /** Records each entry read in the buffers; on the reader's thread. */
  private final class Reading implements SignedTopicReader.Reading {
    private long skipped;
    private long skippedReportedAt;

    @Override
    public void read(List<ConsumerRecord<byte[], byte[]>> verified, long position, long endAtStart) {
      for (ConsumerRecord<byte[], byte[]> record : verified) {
        try {
          logs.record(decode(record));
        } catch (IllegalArgumentException e) {
          skipped++;
          reportSkipped(record, e);
        }
      }
    }

    @Override
    public boolean failed(RuntimeException failure, boolean topicReady) {
      LOG.warn("function log topic read failed, reading on topic={} cause={}", topic, failure.toString());
      return true;
    }

    private void reportSkipped(ConsumerRecord<byte[], byte[]> record, IllegalArgumentException e) {
      long now = System.currentTimeMillis();
      if (now - skippedReportedAt >= SKIP_REPORT_MS) {
        skippedReportedAt = now;
        LOG.warn("function log record skipped topic={} offset={} skipped={} cause={}", topic, record.offset(),
            skipped, e.getMessage());
      }
    }
  }

  /** @throws IllegalArgumentException when the record is no entry a host wrote, naming its host */
  static FunctionLogEntry decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    JsonObject json;
    try {
      json = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the value is no JSON object: " + e.getMessage(), e);
    }
    FunctionLogEntry entry = FunctionLogEntry.fromJson(json);
    if (entry.host().isEmpty()) {
      throw new IllegalArgumentException("the entry names no host");
    }
    return entry;
  }
}
