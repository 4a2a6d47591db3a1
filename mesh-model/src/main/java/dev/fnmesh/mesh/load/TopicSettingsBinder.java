package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.DedupSettings;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.TopicSettings;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns the keys that say how a topic is created ({@code partitions}, {@code replicationFactor},
 * {@code retention}, {@code config}) into {@link TopicSettings}, wherever they appear: a topic of
 * {@code topics:} or a kafka trigger's source.
 */
final class TopicSettingsBinder {

  private TopicSettingsBinder() {
  }

  /** @param topic a valid object holding those keys, each left out at its default */
  static TopicSettings bind(JsonNode topic) {
    JsonNode factor = topic.path("replicationFactor");
    JsonNode retention = topic.path("retention");
    Map<String, String> config = new LinkedHashMap<>();
    // Numbers and booleans are written as YAML reads them; Kafka takes every topic config as text.
    topic.path("config").properties().forEach(entry -> config.put(entry.getKey(), entry.getValue().asText()));
    return new TopicSettings(topic.path("partitions").asInt(KafkaSource.DEFAULT_PARTITIONS),
        factor.isInt() ? OptionalInt.of(factor.asInt()) : OptionalInt.empty(),
        retention.isTextual() ? Optional.of(Duration.parse(retention.asText())) : Optional.empty(),
        config, dedup(topic.path("dedup")));
  }

  /** @param dedup a valid {@code dedup:} object, or a missing node for none */
  static Optional<DedupSettings> dedup(JsonNode dedup) {
    JsonNode window = dedup.path("window");
    return window.isTextual() ? Optional.of(new DedupSettings(Duration.parse(window.asText()))) : Optional.empty();
  }
}
