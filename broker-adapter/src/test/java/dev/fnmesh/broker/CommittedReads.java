package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * What consumers of either isolation level see of a topic once no transaction on it is open: the ids
 * ({@code ce_id}) of every record, read from the beginning to the end.
 */
final class CommittedReads {

  private CommittedReads() {}

  /**
   * Waits until every transaction on the topic is resolved (its last stable offset reached its end), then
   * reads the whole topic at the isolation level.
   */
  static Set<String> idsSeenBy(IsolationLevel isolation, String topic) {
    return new HashSet<>(idCountsSeenBy(isolation, topic).keySet());
  }

  /** {@link #idsSeenBy}, counting how often each id was read: a record written twice counts 2. */
  static Map<String, Integer> idCountsSeenBy(IsolationLevel isolation, String topic) {
    awaitNoOpenTransaction(topic);
    Map<String, Object> config = KafkaFixture.consumerConfig("batch-it-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<String, Integer> ids = new HashMap<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          ids.merge(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
      });
      return ids;
    }
  }

  private static void awaitNoOpenTransaction(String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
            .forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
        return ends(admin, latest, IsolationLevel.READ_COMMITTED).equals(ends(admin, latest, IsolationLevel.READ_UNCOMMITTED));
      });
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
      IsolationLevel isolation) throws Exception {
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
        .forEach((partition, info) -> ends.put(partition, info.offset()));
    return ends;
  }
}
