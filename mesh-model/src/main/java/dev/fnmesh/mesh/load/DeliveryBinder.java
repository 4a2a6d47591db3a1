package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Guarantee;
import dev.fnmesh.mesh.DeliverySettings.Ordering;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Turns a valid {@code delivery:} object into {@link DeliverySettings}, a default for every key left out. */
final class DeliveryBinder {

  private DeliveryBinder() {
  }

  /** @param delivery the trigger's {@code delivery:} object, or a missing node for all the defaults */
  static DeliverySettings bind(String triggerName, JsonNode delivery) {
    DeliverySettings defaults = DeliverySettings.defaults(triggerName);
    JsonNode deadLetter = delivery.path("deadLetter").path("topic");
    return new DeliverySettings(
        delivery.path("retry").asInt(defaults.retry()),
        delivery.has("backoffPolicy") ? BackoffPolicy.valueOf(upper(delivery.path("backoffPolicy")))
            : defaults.backoffPolicy(),
        duration(delivery.path("backoffDelay")).orElse(defaults.backoffDelay()),
        duration(delivery.path("backoffMax")).or(defaults::backoffMax),
        duration(delivery.path("timeout")).orElse(defaults.timeout()),
        deadLetter.isTextual() ? deadLetter.asText() : defaults.deadLetterTopic(),
        delivery.has("ordering") ? Ordering.valueOf(upper(delivery.path("ordering"))) : defaults.ordering(),
        delivery.path("maxInFlight").asInt(defaults.maxInFlight()),
        delivery.has("guarantee") ? Guarantee.valueOf(upper(delivery.path("guarantee")).replace('-', '_'))
            : defaults.guarantee(),
        delivery.has("batch") ? Optional.of(batch(delivery.path("batch"))) : defaults.batch());
  }

  private static BatchSettings batch(JsonNode batch) {
    BatchSettings defaults = BatchSettings.defaults();
    return new BatchSettings(batch.path("maxEvents").asInt(defaults.maxEvents()),
        duration(batch.path("maxWait")).orElse(defaults.maxWait()), batch.path("maxBytes").asLong(defaults.maxBytes()));
  }

  /** The duration of an ISO-8601 text; empty for a missing key. */
  private static Optional<Duration> duration(JsonNode value) {
    return value.isTextual() ? Optional.of(Duration.parse(value.asText())) : Optional.empty();
  }

  private static String upper(JsonNode value) {
    return value.asText().toUpperCase(Locale.ROOT);
  }
}
