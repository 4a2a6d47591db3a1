package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.apache.kafka.common.TopicPartition;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs trigger replicas against the shared broker: writes events, deploys replicas, reads topics and commits. */
final class TriggerHarness implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final KafkaSettings kafka;
  final EventPublisher publisher;
  final TriggerStats stats = new TriggerStats();
  final TriggerHealth health = new TriggerHealth();
  private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig());

  TriggerHarness() {
    this((EventPublisher) null);
  }

  /** @param publisher the publisher replicas write with; null for the real one */
  TriggerHarness(EventPublisher publisher) {
    this(publisher, KafkaSettings.of(KafkaFixture.bootstrapServers()));
  }

  /** Replicas whose consumers use the given settings. */
  TriggerHarness(KafkaSettings kafka) {
    this(null, kafka);
  }

  private TriggerHarness(EventPublisher publisher, KafkaSettings kafka) {
    this.kafka = kafka;
    this.publisher = publisher != null ? publisher : EventPublisher.create(vertx, kafka);
  }

  static CloudEvent event(String id, String type) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType(type)
        .withData("text/plain", id.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** Writes a record as it is, as any Kafka client may. */
  RecordMetadata write(ProducerRecord<byte[], byte[]> record) throws Exception {
    return producer.send(record).get();
  }

  void write(String topic, CloudEvent... events) throws Exception {
    for (CloudEvent event : events) {
      producer.send(CloudEventRecords.toRecord(topic, event, null)).get();
    }
  }

  String deploy(TriggerSettings settings, Function function) throws Exception {
    return deploy(settings, new JavaHostedFunction(function, new FunctionContext(vertx, "fn", Map.of()), false));
  }

  String deploy(TriggerSettings settings, HostedFunction hosted) throws Exception {
    return vertx.deployVerticle(new KafkaTriggerVerticle(settings, kafka, hosted, publisher, stats, health))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  void undeploy(String deploymentId) throws Exception {
    vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Every CloudEvent on the topic, read from the beginning for at most {@code within}, stopping at {@code count}. */
  /** Reads until every one of the ids was seen (redeliveries make repeats possible) or the time is up. */
  static List<CloudEvent> readIds(String topic, java.util.Set<String> ids, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    List<CloudEvent> events = read(topic, ids.size(), within);
    while (!events.stream().map(CloudEvent::getId).collect(java.util.stream.Collectors.toSet()).containsAll(ids)
        && System.nanoTime() < deadline) {
      events = read(topic, events.size() + 1, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return events;
  }

  static List<CloudEvent> read(String topic, int count, Duration within) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("read-" + System.nanoTime()))) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<CloudEvent> events = new ArrayList<>();
      long deadline = System.nanoTime() + within.toNanos();
      while (events.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> events.add(CloudEventRecords.fromRecord(r)));
      }
      return events;
    }
  }

  /** Every record on the topic as it is, read from the beginning for at most {@code within}, stopping at {@code count}. */
  static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, int count, Duration within) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("read-" + System.nanoTime()))) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + within.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  /** The committed offsets of every partition of the topic for the group, summed: the events it finished. */
  static long committedTotal(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .entrySet().stream().filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
          .mapToLong(entry -> entry.getValue().offset()).sum();
    }
  }

  /** Sets a topic's configuration entry and waits until the broker reports it. */
  static void setTopicConfig(String topic, String key, String value) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()))) {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
          AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> value.equals(admin.describeConfigs(List.of(resource))
          .all().get(10, TimeUnit.SECONDS).get(resource).get(key).value()));
    }
  }

  /** The committed offset of partition 0 of the topic for the group, or -1 when none. */
  static long committed(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()))) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    }
  }

  @Override
  public void close() throws Exception {
    producer.close();
    publisher.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
