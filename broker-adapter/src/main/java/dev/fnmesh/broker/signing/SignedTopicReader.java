package dev.fnmesh.broker.signing;

import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.broker.impl.TopicCreator;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads one of the mesh's signed internal topics (one partition, written by fnmesh's processes with the
 * cluster key) on a thread of its own, since Kafka's consumer blocks: creates the topic unless it exists,
 * reads without a group (every process reads the whole topic itself, nothing is committed), and hands over
 * only the records that verify, so whoever can write the topic without the key changes nothing. After a
 * failure it reads on from the record after the last one read, with a new consumer.
 */
public final class SignedTopicReader implements AutoCloseable {

  private static final Duration CREATE_WAIT = Duration.ofSeconds(30);
  private static final Duration RESTART = Duration.ofSeconds(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** Where the first read starts, given the topic's first and next offsets at that moment. */
  @FunctionalInterface
  public interface StartAt {
    long offset(long beginning, long end);

    /** The whole topic. */
    static StartAt beginning() {
      return (beginning, end) -> beginning;
    }

    /** The last {@code records} records at most. */
    static StartAt last(long records) {
      return (beginning, end) -> Math.max(beginning, end - records);
    }
  }

  /** What the reader does with what it read; every method runs on the reader's thread. */
  public interface Reading {

    /**
     * The verified records of one poll, in offset order (possibly none).
     *
     * @param position the offset of the next record to read
     * @param endAtStart the topic's next offset when the reader first opened it: a record at or beyond it was
     *     written after the reader started
     */
    void read(List<ConsumerRecord<byte[], byte[]>> verified, long position, long endAtStart);

    /**
     * Creating or reading the topic failed: log it.
     *
     * @param topicReady whether the topic was ready before; false when it could not be created
     * @return true to read on after a second, false to end the reader
     */
    boolean failed(RuntimeException failure, boolean topicReady);
  }

  private final ConsumerThread thread;

  /**
   * @param settings how the topic is created when it does not exist
   * @param clientId the Kafka client id of its consumer, and with {@code -admin} of the admin that creates the topic
   * @param threadName the reader thread's name
   * @param poll how long one poll waits for records
   */
  public SignedTopicReader(KafkaSettings kafka, KafkaClientMeters meters, StateSignatures signatures, String topic,
      TopicSettings settings, String clientId, String threadName, Duration poll, StartAt startAt, Reading reading) {
    this.thread = new ConsumerThread(threadName, RESTART, CLOSE_WAIT,
        new Reader(kafka, meters, signatures, topic, settings, clientId, poll, startAt, reading));
  }

  public void start() {
    thread.start();
  }

  /** Stops reading; the future completes once the thread released its consumer. */
  public Future<Void> stop() {
    return thread.stop();
  }

  /** Stops reading. Blocks until the reading thread ended, at most 10 s: call it off any event loop. */
  @Override
  public void close() {
    thread.close();
  }

  private static final class Reader implements ConsumerThread.Work {
    private final KafkaSettings kafka;
    private final KafkaClientMeters meters;
    private final StateSignatures signatures;
    private final String topic;
    private final TopicSettings settings;
    private final String clientId;
    private final Duration poll;
    private final StartAt startAt;
    private final Reading reading;
    private final TopicPartition partition;
    private boolean topicReady;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaClientMeters.Binding consumerMeters;
    private long next = -1;
    private long endAtStart = -1;

    Reader(KafkaSettings kafka, KafkaClientMeters meters, StateSignatures signatures, String topic, TopicSettings settings,
        String clientId, Duration poll, StartAt startAt, Reading reading) {
      this.kafka = kafka;
      this.meters = meters;
      this.signatures = signatures;
      this.topic = topic;
      this.settings = settings;
      this.clientId = clientId;
      this.poll = poll;
      this.startAt = startAt;
      this.reading = reading;
      this.partition = new TopicPartition(topic, 0);
    }

    @Override
    public KafkaConsumer<byte[], byte[]> open() {
      if (!topicReady) {
        ensureTopic();
        topicReady = true;
      }
      Map<String, Object> config = kafka.consumerConfig(clientId, "unused", "earliest");
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
      config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
      consumer = new KafkaConsumer<>(config);
      consumerMeters = meters.bind(consumer);
      consumer.assign(List.of(partition));
      if (next < 0) {
        long beginning = consumer.beginningOffsets(List.of(partition)).get(partition);
        endAtStart = consumer.endOffsets(List.of(partition)).get(partition);
        consumer.seek(partition, startAt.offset(beginning, endAtStart));
      } else {
        consumer.seek(partition, next);
      }
      return consumer;
    }

    @Override
    public void step() {
      List<ConsumerRecord<byte[], byte[]>> verified = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(poll)) {
        next = record.offset() + 1;
        if (signatures.verify(record)) {
          verified.add(record);
        }
      }
      reading.read(verified, consumer.position(partition), endAtStart);
    }

    @Override
    public boolean failed(RuntimeException failure) {
      closeConsumer();
      return reading.failed(failure, topicReady);
    }

    @Override
    public void close() {
      closeConsumer();
    }

    private void closeConsumer() {
      KafkaConsumer<byte[], byte[]> closing = consumer;
      consumer = null;
      if (closing != null) {
        closing.close();
        consumerMeters.close();
        consumerMeters = null;
      }
    }

    private void ensureTopic() {
      try (Admin admin = Admin.create(kafka.adminConfig(clientId + "-admin"));
          KafkaClientMeters.Binding adminMeters = meters.bind(admin)) {
        new TopicCreator(admin, kafka.topics()).ensure(topic, settings).toCompletableFuture()
            .get(CREATE_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the topic '" + topic + "' could not be made ready: "
            + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("the topic '" + topic + "' was not created within "
            + CREATE_WAIT.toSeconds() + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating the topic '" + topic + "'", e);
      }
    }
  }
}
