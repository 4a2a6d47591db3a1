package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.ScaleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Checks each trigger's {@code scale:} for what the schema cannot say: that max is at least min, also when
 * max is left at the partition count of the trigger's topic, and that pollInterval is at least
 * {@link ScaleSpec#MIN_POLL_INTERVAL}. Looks only at values the schema accepts, so that a bad value is
 * reported once, by the schema.
 */
final class ScaleChecks {

  /** The pattern of the schema's {@code duration} and {@code durationOrZero}, word for word. */
  static final String DURATION_PATTERN =
      "^P(?=\\d|T\\d)(\\d{1,9}D)?(T(?=\\d)(\\d{1,9}H)?(\\d{1,9}M)?(\\d{1,9}(\\.\\d{1,9})?S)?)?$";

  /** How a poll interval is described. */
  static final String POLL_INTERVAL_RULE = "must be an ISO-8601 duration of at least PT0.1S, such as PT0.5S or PT1S";

  private static final Pattern DURATION = Pattern.compile(DURATION_PATTERN);

  private final YamlDocument document;
  private final List<MeshProblem> problems = new ArrayList<>();

  private ScaleChecks(YamlDocument document) {
    this.document = document;
  }

  /** Every such problem of the document's triggers, each at the key concerned; empty when there is none. */
  static List<MeshProblem> check(YamlDocument document) {
    ScaleChecks checks = new ScaleChecks(document);
    for (Map.Entry<String, JsonNode> trigger : document.root().path("triggers").properties()) {
      JsonNode scale = trigger.getValue().path("scale");
      if (scale.isObject()) {
        checks.replicas(trigger.getKey(), trigger.getValue(), scale);
        checks.pollInterval(trigger.getKey(), scale.path("pollInterval"));
      }
    }
    return checks.problems;
  }

  private void replicas(String trigger, JsonNode triggerNode, JsonNode scale) {
    OptionalInt min = within(scale.path("min"), 0, ScaleSpec.MAX_REPLICAS);
    // A missing min is 0, which every max allows.
    if (min.isEmpty()) {
      return;
    }
    if (scale.has("max")) {
      OptionalInt max = within(scale.path("max"), 1, ScaleSpec.MAX_REPLICAS);
      if (max.isPresent() && max.getAsInt() < min.getAsInt()) {
        report(List.of("triggers", trigger, "scale", "max"),
            "must be at least scale.min (" + min.getAsInt() + "), got " + max.getAsInt());
      }
      return;
    }
    OptionalInt partitions = partitions(triggerNode);
    if (partitions.isPresent() && ScaleSpec.defaultMax(partitions.getAsInt()) < min.getAsInt()) {
      report(List.of("triggers", trigger, "scale", "min"), "must be at most scale.max, which defaults to the "
          + "partition count of the trigger's topic (" + partitions.getAsInt() + "): set scale.max to allow more "
          + "replicas, got " + min.getAsInt());
    }
  }

  private void pollInterval(String trigger, JsonNode interval) {
    if (interval.isTextual() && DURATION.matcher(interval.asText()).find()
        && Duration.parse(interval.asText()).compareTo(ScaleSpec.MIN_POLL_INTERVAL) < 0) {
      report(List.of("triggers", trigger, "scale", "pollInterval"),
          POLL_INTERVAL_RULE + ", got " + SchemaMessages.describe(interval));
    }
  }

  /** The partition count the binder gives the trigger's topic; empty when the file's value is invalid. */
  private static OptionalInt partitions(JsonNode trigger) {
    JsonNode partitions = trigger.has("kafka") ? trigger.path("kafka").path("partitions") : trigger.path("partitions");
    return partitions.isMissingNode() ? OptionalInt.of(KafkaSource.DEFAULT_PARTITIONS)
        : within(partitions, 1, KafkaSource.MAX_PARTITIONS);
  }

  /** The value when it is an integer in the range; empty for any other value and for a missing key. */
  private static OptionalInt within(JsonNode value, int lowest, int highest) {
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < lowest
        || value.intValue() > highest) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(value.intValue());
  }

  private void report(List<?> at, String message) {
    problems.add(document.problemAt(at, message));
  }
}
