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

  private final AtomicReference<Typed> current = new AtomicReference<>(new Typed(Map.of(), null));

  /**
   * @param topicToSchema schema names by topic
   * @param schemas where they are read from; every named schema must have passed {@link DataSchemas#check}
   */
  public void replace(Map<String, String> topicToSchema, DataSchemas schemas) {
    current.set(new Typed(Map.copyOf(topicToSchema), schemas));
  }

  /** @return why the event may not be published to the topic, or empty when it may */
  public Optional<EventProblem> check(String topic, CloudEvent event) {
    Typed typed = current.get();
    String schema = typed.byTopic().get(topic);
    return schema == null ? Optional.empty() : typed.schemas().validate(schema, event);
  }

  // One reference for both, so a check never pairs one generation's map with another's schemas.
  private record Typed(Map<String, String> byTopic, DataSchemas schemas) {}
}
