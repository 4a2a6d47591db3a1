package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.ScaleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Optional;

/** Turns a valid {@code scale:} object into a {@link ScaleSpec}, a default for every key left out. */
final class ScaleBinder {

  private ScaleBinder() {
  }

  /**
   * @param scale the trigger's {@code scale:} object, or a missing node for all the defaults
   * @param partitions the partition count of the trigger's topic, which max defaults to
   */
  static ScaleSpec bind(JsonNode scale, int partitions) {
    return new ScaleSpec(
        scale.path("min").asInt(ScaleSpec.DEFAULT_MIN),
        scale.path("max").asInt(ScaleSpec.defaultMax(partitions)),
        scale.path("lagThreshold").asLong(ScaleSpec.DEFAULT_LAG_THRESHOLD),
        scale.path("activationLagThreshold").asLong(ScaleSpec.DEFAULT_ACTIVATION_LAG_THRESHOLD),
        duration(scale.path("cooldown")).orElse(ScaleSpec.DEFAULT_COOLDOWN),
        duration(scale.path("pollInterval")).orElse(ScaleSpec.DEFAULT_POLL_INTERVAL));
  }

  /** The duration of an ISO-8601 text; empty for a missing key. */
  private static Optional<Duration> duration(JsonNode value) {
    return value.isTextual() ? Optional.of(Duration.parse(value.asText())) : Optional.empty();
  }
}
