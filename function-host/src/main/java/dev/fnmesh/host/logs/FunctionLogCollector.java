package dev.fnmesh.host.logs;

import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.impl.TopicCreator;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.signing.StateSignatures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  private static final Duration RESTART = Duration.ofSeconds(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final long SKIP_REPORT_MS = Duration.ofMinutes(1).toMillis();

  private final KafkaSettings kafka;
  private final KafkaClientMeters meters;
  private final StateSignatures signatures;
  private final String topic;
  private final String clientId;
  private final FunctionLogs logs;
  private final ConsumerThread reader;

  /** @param topic the mesh's log topic, created unless it exists */
  public FunctionLogCollector(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters, StateSignatures signatures,
      String topic, String clientId) {
    this.kafka = kafka;
    this.meters = meters;
    this.signatures = signatures;
    this.topic = topic;
    this.clientId = clientId;
    this.logs = FunctionLogs.of(vertx);
    this.reader = new ConsumerThread("fnmesh-logs-" + clientId, RESTART, CLOSE_WAIT, new Reader());
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

  /** Reads on from the record after the last one read; after a failure, with a new consumer. */
  private final class Reader implements ConsumerThread.Work {
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private boolean topicReady;
    private KafkaConsumer<byte[], byte[]> reading;
    private KafkaClientMeters.Binding readingMeters;
    private long next = -1;
    private long skipped;
    private long skippedReportedAt;

    @Override
    public KafkaConsumer<byte[], byte[]> open() {
      if (!topicReady) {
        ensureTopic();
        topicReady = true;
      }
      Map<String, Object> config = kafka.consumerConfig(clientId, "unused", "earliest");
      // Every controller reads the topic itself: no group, no committed offsets.
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
      config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
      reading = new KafkaConsumer<>(config);
      readingMeters = meters.bind(reading);
      reading.assign(List.of(partition));
      if (next < 0) {
        long begin = reading.beginningOffsets(List.of(partition)).get(partition);
        long end = reading.endOffsets(List.of(partition)).get(partition);
        reading.seek(partition, Math.max(begin, end - BACKLOG));
      } else {
        reading.seek(partition, next);
      }
      return reading;
    }

    @Override
    public void step() {
      for (ConsumerRecord<byte[], byte[]> record : reading.poll(POLL)) {
        next = record.offset() + 1;
        if (!signatures.verify(record)) {
          continue;
        }
        try {
          FunctionLogEntry entry = decode(record);
          logs.record(entry);
        } catch (IllegalArgumentException e) {
          skipped++;
          reportSkipped(record, e);
        }
      }
    }

    @Override
    public boolean failed(RuntimeException failure) {
      closeReading();
      LOG.warn("function log topic read failed, reading on in {} ms topic={} cause={}", RESTART.toMillis(), topic,
          failure.toString());
      return true;
    }

    @Override
    public void close() {
      closeReading();
    }

    private void closeReading() {
      KafkaConsumer<byte[], byte[]> closing = reading;
      reading = null;
      if (closing != null) {
        closing.close();
        readingMeters.close();
      }
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

  private void ensureTopic() {
    try (Admin admin = Admin.create(kafka.adminConfig(clientId + "-admin"));
        KafkaClientMeters.Binding adminMeters = meters.bind(admin)) {
      new TopicCreator(admin, kafka.topics()).ensure(topic, TopicPolicy.FUNCTION_LOG_TOPIC).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the function log topic '" + topic + "' could not be made ready: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the function log topic '" + topic + "' was not created within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the function log topic", e);
    }
  }
}
