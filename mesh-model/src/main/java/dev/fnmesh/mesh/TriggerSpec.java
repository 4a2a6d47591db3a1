package dev.fnmesh.mesh;


import java.util.Objects;
import java.util.Optional;

/**
 * A trigger of the mesh file: where its events come from, the topic they pass through, which of them reach
 * the function, how they are delivered, where replies go and how many replicas consume them.
 *
 * @param name the trigger's name, a DNS-label-like key of {@code triggers:}
 * @param source where the events come from
 * @param topic the topic the trigger consumes: a Kafka source's {@code kafka.topic}; for a webhook or cron
 *     source the topic its events are written to, the trigger's {@code topic:}, by default
 *     {@code fnmesh.<name>}
 * @param partitions the partitions the topic is created with when it does not exist: a Kafka source's
 *     {@code kafka.partitions}, else the trigger's {@code partitions:}, by default
 *     {@link KafkaSource#DEFAULT_PARTITIONS}
 * @param function the name of a function declared under {@code functions:}
 * @param replyTopic the topic the function's replies are published to; empty when replies are dropped
 * @param filter which events reach the function; empty when every event does
 * @param delivery retries, timeout, dead letters and ordering, the defaults where the file says nothing
 * @param dataschema a JSON Schema file, relative to {@code schemas/}, that event data must satisfy
 * @param scale how many replicas consume the topic, the defaults where the file says nothing: max then is
 *     the partition count, at most {@link ScaleSpec#MAX_REPLICAS}
 */
public record TriggerSpec(
    String name,
    TriggerSource source,
    String topic,
    int partitions,
    String function,
    Optional<String> replyTopic,
    Optional<FilterSpec> filter,
    DeliverySettings delivery,
    Optional<String> dataschema,
    ScaleSpec scale) {

  public TriggerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(replyTopic, "replyTopic");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(dataschema, "dataschema");
    Objects.requireNonNull(scale, "scale");
    KafkaSource.checkPartitions(partitions);
    // Two places for one fact must agree, or a consumer would read another topic than the file names.
    if (source instanceof KafkaSource kafka && (!kafka.topic().equals(topic) || kafka.partitions() != partitions)) {
      throw new IllegalArgumentException("a kafka trigger's topic and partitions are those of its kafka source, "
          + "got " + topic + "/" + partitions + " for " + kafka);
    }
  }

  /** Where its events come from: {@code kafka}, {@code webhook} or {@code cron}. */
  public String kind() {
    return source instanceof WebhookSource ? "webhook" : source instanceof CronSource ? "cron" : "kafka";
  }

  /**
   * How the trigger's topic is created when missing: a kafka source's settings; for a webhook or cron trigger
   * its partitions, everything else at the defaults.
   */
  public TopicSettings topicSettings() {
    return source instanceof KafkaSource kafka ? kafka.settings() : TopicSettings.of(partitions);
  }

  /** The consumer group the replicas of a trigger share: {@code fnmesh.<trigger name>}. */
  public static String groupId(String triggerName) {
    return "fnmesh." + triggerName;
  }

  /** The topic of a webhook or cron trigger that names none: {@code fnmesh.<trigger name>}. */
  public static String defaultTopic(String triggerName) {
    return "fnmesh." + triggerName;
  }
}
