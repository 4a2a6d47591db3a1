package dev.fnmesh.host.tail;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.EventFilter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client following a topic: a consumer of its own, on a thread of its own, that hands each event to the
 * response's context as a server-sent event. It waits while the client reads slower than the topic fills,
 * and stops when the client goes away.
 */
final class TopicTail implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaSettings kafka;
  private final KafkaClientMeters meters;
  private final String topic;
  private final boolean fromBeginning;
  private final EventFilter filter;
  private final Context context;
  private final HttpServerResponse response;
  private volatile boolean stopped;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  TopicTail(KafkaSettings kafka, KafkaClientMeters meters, String topic, boolean fromBeginning, EventFilter filter,
      Context context, HttpServerResponse response) {
    this.kafka = kafka;
    this.meters = meters;
    this.topic = topic;
    this.fromBeginning = fromBeginning;
    this.filter = filter;
    this.context = context;
    this.response = response;
  }

  /** Ends the tail; called from any thread. */
  void stop() {
    stopped = true;
    KafkaConsumer<byte[], byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
  }

  @Override
  public void run() {
    String id = "fnmesh-tail-" + UUID.randomUUID();
    try (KafkaConsumer<byte[], byte[]> tail = new KafkaConsumer<>(kafka.consumerConfig(id, id, "latest"));
        KafkaClientMeters.Binding metered = meters.bind(tail)) {
      consumer = tail;
      List<TopicPartition> partitions = tail.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      tail.assign(partitions);
      if (fromBeginning) {
        tail.seekToBeginning(partitions);
      } else {
        tail.seekToEnd(partitions);
      }
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> record : tail.poll(POLL)) {
          CloudEvent event;
          try {
            event = CloudEventRecords.fromRecord(record);
          } catch (RuntimeException notAnEvent) {
            continue;
          }
          if (filter.test(event)) {
            send(event);
          }
        }
      }
    } catch (WakeupException stopping) {
      // stop() was called: the client went away.
    } catch (RuntimeException e) {
      LOG.warn("tail ended topic={} cause={}", topic, e.toString());
    } finally {
      context.runOnContext(v -> {
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      });
    }
  }

  /** Writes one event on the response's context, and waits here while the client does not keep up. */
  private void send(CloudEvent event) {
    byte[] json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).serialize(event);
    String frame = "data: " + new String(json, StandardCharsets.UTF_8).replace("\n", "") + "\n\n";
    CompletableFuture<Void> written = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (response.closed() || response.ended()) {
        stop();
        written.complete(null);
        return;
      }
      response.write(frame);
      if (response.writeQueueFull()) {
        response.drainHandler(drained -> written.complete(null));
      } else {
        written.complete(null);
      }
    });
    while (!stopped) {
      try {
        written.get(1, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException slowClient) {
        // still waiting for the client to read; checked again unless stopped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
      } catch (java.util.concurrent.ExecutionException e) {
        stop();
      }
    }
  }
}
