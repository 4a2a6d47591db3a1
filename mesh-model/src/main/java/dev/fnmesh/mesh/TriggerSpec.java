package dev.fnmesh.mesh;


import java.util.List;
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
 * @param reply where the function's replies are published: each reply to the topic of every route whose
 *     filter it passes; none when replies are dropped
 * @param filter which events reach the function; empty when every event does
 * @param delivery retries, timeout, dead letters and ordering, the defaults where the file says nothing
 * @param dataschema a JSON Schema file, relative to {@code schemas/}, that event data must satisfy
 * @param scale how many replicas consume the topic, the defaults where the file says nothing: max then is
 *     the partition count, at most {@link ScaleSpec#MAX_REPLICAS}
 * @param step where the trigger stands in a sequence of {@code steps:}; empty for a trigger of one function
 */
public record TriggerSpec(
    String name,
    TriggerSource source,
    String topic,
    int partitions,
    String function,
    List<ReplyRoute> reply,
    Optional<FilterSpec> filter,
    DeliverySettings delivery,
    Optional<String> dataschema,
    ScaleSpec scale,
    Optional<SequenceStep> step) {

  public TriggerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(function, "function");
    reply = List.copyOf(reply);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(dataschema, "dataschema");
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(step, "step");
    KafkaSource.checkPartitions(partitions);
    // Two places for one fact must agree, or a consumer would read another topic than the file names.
    if (source instanceof KafkaSource kafka && (!kafka.topic().equals(topic) || kafka.partitions() != partitions)) {
      throw new IllegalArgumentException("a kafka trigger's topic and partitions are those of its kafka source, "
          + "got " + topic + "/" + partitions + " for " + kafka);
    }
  }

  /** The topics its replies may be published to, each once, in the order of the routes. */
  public List<String> replyTopics() {
    return reply.stream().map(ReplyRoute::topic).distinct().toList();
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
