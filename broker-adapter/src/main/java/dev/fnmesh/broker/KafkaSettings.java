package dev.fnmesh.broker;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How fnmesh talks to Kafka: the bootstrap servers plus client properties that override the defaults
 * chosen here (handed to the clients as given, so any Kafka client setting can be tuned: TLS, SASL,
 * timeouts), except the few fnmesh's guarantees rest on, which {@link #PROTECTED} lists; and how it creates
 * the topics it needs there.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param overrides client properties applied last: a key as it is to producers, consumers and admin clients
 *     alike; a key prefixed {@code producer.}, {@code consumer.} or {@code admin.} to that kind only
 * @param groupProtocol the consumer group protocol the cluster's brokers offer
 * @param topics the replication every topic fnmesh creates gets unless the mesh sets the topic's own
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> overrides, GroupProtocol groupProtocol,
    TopicPolicy topics) {

  /**
   * Client settings fnmesh's guarantees rest on: acknowledged means on every in-sync replica, sends are
   * idempotent, offsets are committed only after the events before them were handled, aborted cron ticks
   * are never read, and records are bytes fnmesh encodes itself.
   */
  public static final Set<String> PROTECTED = Set.of(ProducerConfig.ACKS_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  private static final List<String> KINDS = List.of("producer.", "consumer.", "admin.");

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
    }
    overrides = Map.copyOf(overrides);
    Objects.requireNonNull(groupProtocol, "groupProtocol");
    Objects.requireNonNull(topics, "topics");
    for (String key : overrides.keySet()) {
      if (PROTECTED.contains(unprefixed(key))) {
        throw new IllegalArgumentException("the Kafka client setting " + key + " cannot be changed: fnmesh's"
            + " delivery guarantees rest on it");
      }
    }
  }

  /**
   * Settings for a cluster whose brokers offer Kafka 4's consumer group protocol (KIP-848), whose topics fnmesh
   * creates with {@link TopicPolicy#CLUSTER_SIZED} replication.
   */
  public KafkaSettings(String bootstrapServers, Map<String, String> overrides) {
    this(bootstrapServers, overrides, GroupProtocol.CONSUMER, TopicPolicy.CLUSTER_SIZED);
  }

  public KafkaSettings withGroupProtocol(GroupProtocol protocol) {
    return new KafkaSettings(bootstrapServers, overrides, protocol, topics);
  }

  public KafkaSettings withTopics(TopicPolicy policy) {
    return new KafkaSettings(bootstrapServers, overrides, groupProtocol, policy);
  }

  /** How the members of a consumer group share its partitions. */
  public enum GroupProtocol {
    /**
     * KIP-848 ({@code group.protocol=consumer}): the broker assigns partitions and a member joining or
     * leaving moves only the partitions concerned, without stopping the others.
     */
    CONSUMER,
    /**
     * The classic protocol, for brokers before Kafka 4 or without the {@code group.version} feature, with
     * the cooperative sticky assignor, so that a rebalance still stops only the partitions that move.
     */
    CLASSIC
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  /** An idempotent producer with {@code acks=all}: an acknowledged event is on every in-sync replica. */
  public Map<String, Object> producerConfig(String clientId) {
    Map<String, Object> config = base(clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Under load records batch up behind the requests in flight anyway; a long linger only delays the
    // acknowledgement every ingress request waits for (measured: 5 ms capped 64 waiting clients at 8.4 k/s).
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // A client waiting on an acknowledgement hears about an unreachable broker within this bound.
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    // The publisher's sends run on event loops and never wait (it sets 0 for its producer); this bounds how
    // long it waits, on timers, for a topic's metadata before the first send to it.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    // A send without the topic's metadata fails at once: metadata fetched once for a topic (prepare) is
    // kept for a day, not dropped after 5 idle minutes.
    config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Duration.ofDays(1).toMillis());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.putAll(overridesFor("producer."));
    return config;
  }

  /**
   * A consumer of the given group that never commits by itself: offsets are committed only after the
   * events before them were handled.
   */
  public Map<String, Object> consumerConfig(String clientId, String groupId, String autoOffsetReset) {
    Map<String, Object> config = base(clientId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    // Members join and leave without stopping the others, which scaling by lag relies on.
    if (groupProtocol == GroupProtocol.CONSUMER) {
      config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    } else {
      config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    // Cron ticks are written in transactions; an aborted tick must never reach a function.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.putAll(overridesFor("consumer."));
    return config;
  }

  public Map<String, Object> adminConfig(String clientId) {
    Map<String, Object> config = base(clientId);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.putAll(overridesFor("admin."));
    return config;
  }

  /** The overrides for one kind of client: the common ones, then the kind's own, which win. */
  private Map<String, String> overridesFor(String kind) {
    Map<String, String> chosen = new HashMap<>();
    overrides.forEach((key, value) -> {
      if (KINDS.stream().noneMatch(key::startsWith)) {
        chosen.put(key, value);
      }
    });
    overrides.forEach((key, value) -> {
      if (key.startsWith(kind)) {
        chosen.put(key.substring(kind.length()), value);
      }
    });
    return chosen;
  }

  private static String unprefixed(String key) {
    for (String kind : KINDS) {
      if (key.startsWith(kind)) {
        return key.substring(kind.length());
      }
    }
    return key;
  }

  private Map<String, Object> base(String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }
}
