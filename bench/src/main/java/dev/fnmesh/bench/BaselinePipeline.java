package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bar for the pipeline: the simplest hand-written consume-to-produce loop with plain kafka-clients on
 * one thread. It forwards each record's key, value and headers unchanged (no CloudEvent decoding) and
 * commits the consumer position asynchronously after each batch, without waiting for the sends: weaker than
 * fnmesh, which commits an offset only after its reply was acknowledged.
 */
final class BaselinePipeline implements AutoCloseable {

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final String input;
  private final String output;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private volatile boolean running = true;

  /** Uses fnmesh's own client settings, so the two differ only in what happens between consumer and producer. */
  BaselinePipeline(KafkaSettings kafka, String input, String output, String groupId) {
    this.consumer = new KafkaConsumer<>(kafka.consumerConfig(groupId + "-consumer", groupId, "earliest"));
    this.producer = new KafkaProducer<>(kafka.producerConfig(groupId + "-producer"));
    this.input = input;
    this.output = output;
  }

  /** Starts the loop on a thread of its own. */
  void start() {
    Thread thread = new Thread(this::run, "bench-baseline");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(input));
      while (running && sendFailure.get() == null) {
        ConsumerRecords<byte[], byte[]> records = poll();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          producer.send(new ProducerRecord<>(output, null, record.key(), record.value(), record.headers()),
              (metadata, failure) -> {
                if (failure != null) {
                  sendFailure.compareAndSet(null, failure);
                }
              });
        }
        if (!records.isEmpty()) {
          consumer.commitAsync();
        }
      }
      producer.flush();
      if (sendFailure.get() != null) {
        throw new IllegalStateException("baseline send failed: " + sendFailure.get().getMessage(), sendFailure.get());
      }
      stopped.complete(null);
    } catch (RuntimeException e) {
      stopped.completeExceptionally(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      producer.close(Duration.ofSeconds(5));
    }
  }

  private ConsumerRecords<byte[], byte[]> poll() {
    try {
      return consumer.poll(Duration.ofMillis(100));
    } catch (WakeupException e) {
      return ConsumerRecords.empty();
    }
  }

  /** Stops the loop and waits until its clients are closed. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    stopped.orTimeout(30, TimeUnit.SECONDS).join();
  }
}
