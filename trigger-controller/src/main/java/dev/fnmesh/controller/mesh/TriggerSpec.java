package dev.fnmesh.controller.mesh;

import java.util.Objects;
import java.util.Optional;

/**
 * A trigger of the mesh file: where its events come from, the function they go to and where replies go.
 *
 * @param name the trigger's name, a DNS-label-like key of {@code triggers:}
 * @param kafka the topic the events are consumed from
 * @param function the name of a function declared under {@code functions:}
 * @param replyTopic the topic the function's replies are published to; empty when replies are dropped
 */
public record TriggerSpec(String name, KafkaSource kafka, String function, Optional<String> replyTopic) {

  public TriggerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(replyTopic, "replyTopic");
  }
}
