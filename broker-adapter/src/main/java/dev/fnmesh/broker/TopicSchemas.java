package dev.fnmesh.broker;

import io.cloudevents.CloudEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which topics carry typed events: the data schema each such topic's events must satisfy, replaced as a
 * whole when the mesh changes. Thread-safe.
 */
public final class TopicSchemas {

  private final DataSchemas schemas;
  private final AtomicReference<Map<String, String>> byTopic = new AtomicReference<>(Map.of());

  public TopicSchemas(DataSchemas schemas) {
    this.schemas = schemas;
  }

  /** @param topicToSchema schema names by topic; every schema must have passed {@link DataSchemas#check} */
  public void replace(Map<String, String> topicToSchema) {
    byTopic.set(Map.copyOf(topicToSchema));
  }

  /** @return why the event may not be published to the topic, or empty when it may */
  public Optional<EventProblem> check(String topic, CloudEvent event) {
    String schema = byTopic.get().get(topic);
    return schema == null ? Optional.empty() : schemas.validate(schema, event);
  }
}
