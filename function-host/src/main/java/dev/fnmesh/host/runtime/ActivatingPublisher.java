package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.EventPublisher;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The ingresses' publisher: after events were accepted onto a topic it tells the scaler, so that a trigger
 * at zero replicas wakes at once instead of at its next lag poll (what Knative's activator does for HTTP).
 */
public final class ActivatingPublisher implements EventPublisher {

  private final EventPublisher publisher;
  private final Consumer<String> onPublished;

  /** @param onPublished called with the topic after a publish succeeded; must not block */
  public ActivatingPublisher(EventPublisher publisher, Consumer<String> onPublished) {
    this.publisher = publisher;
    this.onPublished = onPublished;
  }

  @Override
  public Future<Void> publish(String topic, List<CloudEvent> events) {
    return publisher.publish(topic, events).onSuccess(v -> onPublished.accept(topic));
  }

  @Override
  public CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey) {
    return publisher.send(topic, event, fallbackKey);
  }

  @Override
  public CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
    return publisher.sendRecord(record);
  }

  @Override
  public Future<Void> prepare(String topic) {
    return publisher.prepare(topic);
  }

  @Override
  public Future<Void> close() {
    return publisher.close();
  }
}
