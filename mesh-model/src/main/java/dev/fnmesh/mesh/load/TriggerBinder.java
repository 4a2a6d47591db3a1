package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.SecretRef;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSource;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Optional;

/**
 * Turns one valid trigger object into a {@link TriggerSpec}: its source, the topic its events pass
 * through, its filter, delivery and scaling, each key left out at its default.
 */
final class TriggerBinder {

  private TriggerBinder() {
  }

  static TriggerSpec bind(String name, JsonNode trigger) {
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
        text(trigger.path("reply").path("topic")), filter, DeliveryBinder.bind(name, trigger.path("delivery")),
        text(trigger.path("dataschema")), ScaleBinder.bind(trigger.path("scale"), partitions));
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
