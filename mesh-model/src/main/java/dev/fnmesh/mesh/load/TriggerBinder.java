package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.ReplyRoute;
import dev.fnmesh.mesh.SecretRef;
import dev.fnmesh.mesh.SequenceStep;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TriggerSource;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns one valid trigger object into {@link TriggerSpec}s: its source, the topic its events pass
 * through, its filter, delivery, replies and scaling, each key left out at its default; one per step of a sequence.
 */
final class TriggerBinder {

  private TriggerBinder() {
  }

  /**
   * The triggers one declared trigger runs as: itself, or for {@code steps:} one trigger per step, the first
   * under the declared name, each replying to the next one's internal topic and the last to {@code reply:}.
   */
  static List<TriggerSpec> bind(String name, JsonNode trigger) {
    TriggerSpec first = bindOne(name, trigger);
    JsonNode steps = trigger.path("steps");
    if (!steps.isArray() || steps.isEmpty()) {
      return List.of(first);
    }
    int count = steps.size();
    List<TriggerSpec> specs = new ArrayList<>(count);
    for (int n = 1; n <= count; n++) {
      JsonNode step = steps.get(n - 1);
      String function = step.isTextual() ? step.asText() : step.path("function").asText();
      DeliverySettings delivery = DeliveryBinder.bind(name, merged(trigger.path("delivery"), step.path("delivery")));
      List<ReplyRoute> reply = n == count ? first.reply() : List.of(ReplyRoute.to(SequenceStep.topic(name, n + 1)));
      Optional<SequenceStep> at = Optional.of(new SequenceStep(name, n, count));
      if (n == 1) {
        specs.add(new TriggerSpec(name, first.source(), first.topic(), first.partitions(), function, reply,
            first.filter(), delivery, first.dataschema(), first.scale(), at));
      } else {
        // A later step reads its topic from the start: events may be written to it before its group exists.
        KafkaSource source = new KafkaSource(SequenceStep.topic(name, n), TopicSettings.of(first.partitions()),
            StartFrom.EARLIEST);
        specs.add(new TriggerSpec(SequenceStep.triggerName(name, n), source, source.topic(), first.partitions(),
            function, reply, Optional.empty(), delivery, Optional.empty(), first.scale(), at));
      }
    }
    return specs;
  }

  /** The trigger's {@code delivery:} with the keys of a step's own {@code delivery:} in place of its. */
  private static JsonNode merged(JsonNode trigger, JsonNode step) {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    if (trigger.isObject()) {
      merged.setAll((ObjectNode) trigger);
    }
    if (step.isObject()) {
      merged.setAll((ObjectNode) step);
    }
    return merged;
  }

  /** {@code reply: { topic: T }}, or a list of routes {@code { filter, topic }}; none when missing. */
  private static List<ReplyRoute> reply(JsonNode reply) {
    if (reply.isObject()) {
      return List.of(ReplyRoute.to(reply.path("topic").asText()));
    }
    List<ReplyRoute> routes = new ArrayList<>();
    reply.forEach(route -> routes.add(new ReplyRoute(route.has("filter")
        ? Optional.of(FilterBinder.bind(route.path("filter"))) : Optional.empty(), route.path("topic").asText())));
    return routes;
  }

  private static TriggerSpec bindOne(String name, JsonNode trigger) {
    TriggerSource source = source(trigger);
    String topic;
    int partitions;
    if (source instanceof KafkaSource kafka) {
      topic = kafka.topic();
      partitions = kafka.partitions();
    } else {
      topic = text(trigger.path("topic")).orElse(TriggerSpec.defaultTopic(name));
      partitions = trigger.path("partitions").asInt(KafkaSource.DEFAULT_PARTITIONS);
    }
    Optional<FilterSpec> filter = trigger.has("filter")
        ? Optional.of(FilterBinder.bind(trigger.path("filter"))) : Optional.empty();
    return new TriggerSpec(name, source, topic, partitions, trigger.path("function").asText(),
        reply(trigger.path("reply")), filter, DeliveryBinder.bind(name, trigger.path("delivery")),
        text(trigger.path("dataschema")), ScaleBinder.bind(trigger.path("scale"), partitions), Optional.empty());
  }

  private static TriggerSource source(JsonNode trigger) {
    if (trigger.has("webhook")) {
      return webhook(trigger.path("webhook"));
    }
    if (trigger.has("cron")) {
      return cron(trigger.path("cron"));
    }
    JsonNode kafka = trigger.path("kafka");
    return new KafkaSource(kafka.path("topic").asText(), TopicSettingsBinder.bind(kafka), startFrom(kafka.path("startFrom")));
  }

  /** {@code earliest}, {@code latest} or {@code { timestamp: T }}; the default when missing. */
  private static StartFrom startFrom(JsonNode startFrom) {
    if (startFrom.isObject()) {
      return StartFrom.at(StartFrom.time(startFrom.path("timestamp").asText()));
    }
    return startFrom.isTextual() ? StartFrom.fromYaml(startFrom.asText()) : KafkaSource.DEFAULT_START_FROM;
  }

  private static WebhookSource webhook(JsonNode webhook) {
    JsonNode hmac = webhook.path("hmac");
    JsonNode secret = webhook.path("secret");
    return new WebhookSource(webhook.path("path").asText(), text(webhook.path("provider")),
        value(webhook.path("type")), value(webhook.path("source")), value(webhook.path("subject")),
        value(webhook.path("id")),
        hmac.isObject() ? Optional.of(hmac(hmac)) : Optional.empty(),
        secret.isObject() ? Optional.of(new SecretRef(text(secret.path("env")), text(secret.path("file"))))
            : Optional.empty(),
        TopicSettingsBinder.dedup(webhook.path("dedup")));
  }

  private static HmacSpec hmac(JsonNode hmac) {
    JsonNode timestamp = hmac.path("timestamp");
    return new HmacSpec(hmac.path("header").asText(),
        text(hmac.path("algorithm")).orElse(HmacSpec.DEFAULT_ALGORITHM), text(hmac.path("prefix")).orElse(""),
        timestamp.isObject()
            ? Optional.of(new HmacTimestamp(timestamp.path("header").asText(),
                text(timestamp.path("tolerance")).map(Duration::parse).orElse(HmacTimestamp.DEFAULT_TOLERANCE)))
            : Optional.empty());
  }

  /** A plain string is a constant; a mapping names a header or a JSON pointer. */
  private static Optional<ValueSpec> value(JsonNode value) {
    if (value.isTextual()) {
      return Optional.of(ValueSpec.constant(value.asText()));
    }
    if (!value.isObject()) {
      return Optional.empty();
    }
    String prefix = text(value.path("prefix")).orElse("");
    return Optional.of(value.has("header")
        ? new ValueSpec(ValueSpec.Kind.HEADER, value.path("header").asText(), prefix)
        : new ValueSpec(ValueSpec.Kind.POINTER, value.path("pointer").asText(), prefix));
  }

  private static CronSource cron(JsonNode cron) {
    JsonNode data = cron.path("data");
    return new CronSource(cron.path("schedule").asText(),
        text(cron.path("timezone")).orElse(CronSource.DEFAULT_TIMEZONE),
        text(cron.path("type")).orElse(CronSource.DEFAULT_TYPE),
        data.isMissingNode() ? Optional.empty() : Optional.of(data),
        text(cron.path("missed")).map(CronSource.Missed::fromYaml).orElse(CronSource.DEFAULT_MISSED));
  }

  /** The text of a string value; empty for a missing key. */
  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
