package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KafkaFixture.class)
class LagMonitorIT {

  // Records produced to partitions 0..3: 100 in all.
  private static final int[] RECORDS = {10, 20, 30, 40};
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Vertx vertx;
  private static Admin admin;
  private static KafkaProducer<byte[], byte[]> producer;
  private String topic;
  private String group;

  @BeforeAll
  static void clients() {
    vertx = Vertx.vertx();
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()));
    producer = new KafkaProducer<>(KafkaFixture.producerConfig());
  }

  @AfterAll
  static void close() throws Exception {
    producer.close();
    admin.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void topicWithRecords() throws Exception {
    topic = KafkaFixture.uniqueTopic("lag");
    group = "lag-" + UUID.randomUUID();
    KafkaFixture.createTopic(topic, RECORDS.length);
    for (int partition = 0; partition < RECORDS.length; partition++) {
      produce(partition, RECORDS[partition]);
    }
  }

  @Test
  void theLagOfEachPartitionIsItsEndMinusTheCommittedOffsetOrTheLogStartWithoutOne() throws Exception {
    commit(Map.of(0, 4L, 2, 30L));

    LagReport report = get(monitor().measure(topic, group, StartFrom.EARLIEST));

    assertEquals(List.of(
        new PartitionLag(0, 10, OptionalLong.of(4), 4, 6),
        new PartitionLag(1, 20, OptionalLong.empty(), 0, 20),
        new PartitionLag(2, 30, OptionalLong.of(30), 30, 0),
        new PartitionLag(3, 40, OptionalLong.empty(), 0, 40)), report.partitions());
    assertEquals(66, report.totalLag());
    assertEquals(3, report.partitionsWithLag());
    assertEquals(topic, report.topic());
    assertEquals(group, report.group());
  }

  @Test
  void eventsRemovedFromTheLogStartAreNotCounted() throws Exception {
    admin.deleteRecords(Map.of(new TopicPartition(topic, 1), RecordsToDelete.beforeOffset(15))).all()
        .get(30, TimeUnit.SECONDS);

    LagReport withoutOffsets = get(monitor().measure(topic, group, StartFrom.EARLIEST));
    commit(Map.of(1, 3L));
    LagReport behindTheLogStart = get(monitor().measure(topic, group, StartFrom.EARLIEST));

    assertEquals(new PartitionLag(1, 20, OptionalLong.empty(), 15, 5), withoutOffsets.partition(1));
    assertEquals(10 + 5 + 30 + 40, withoutOffsets.totalLag());
    assertEquals(new PartitionLag(1, 20, OptionalLong.of(3), 15, 5), behindTheLogStart.partition(1));
  }

  @Test
  void aGroupWithoutOffsetsStartingByTimeCountsFromTheFirstEventAtOrAfterIt() throws Exception {
    commit(Map.of(0, 4L));

    LagReport sinceLongAgo = get(monitor().measure(topic, group, StartFrom.at(Instant.EPOCH)));
    LagReport sinceLater = get(monitor().measure(topic, group, StartFrom.at(Instant.now().plus(Duration.ofHours(1)))));

    assertEquals(6 + 20 + 30 + 40, sinceLongAgo.totalLag());
    assertEquals(6, sinceLater.totalLag(), "no event is that recent: the other partitions count from their end");
  }

  @Test
  void aGroupWithoutOffsetsStartingFromLatestHasNoLag() throws Exception {
    LagReport report = get(monitor().measure(topic, group, StartFrom.LATEST));

    assertEquals(0, report.totalLag());
    assertEquals(4, report.partitions().size());
    assertEquals(new PartitionLag(3, 40, OptionalLong.empty(), 40, 0), report.partition(3));
  }

  @Test
  void partitionsAddedToTheTopicAreMeasuredOnceThePartitionListIsRefreshed() throws Exception {
    LagMonitor monitor = new LagMonitor(vertx, admin, Clock.systemUTC(), Duration.ofMillis(500));
    assertEquals(4, get(monitor.measure(topic, group, StartFrom.EARLIEST)).partitions().size());

    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(6))).all().get(30, TimeUnit.SECONDS);
    produce(5, 7);

    await().atMost(WAIT).untilAsserted(() -> {
      LagReport report = get(monitor.measure(topic, group, StartFrom.EARLIEST));
      assertEquals(6, report.partitions().size());
      assertEquals(107, report.totalLag());
    });
  }

  @Test
  void aCommittedOffsetOnAnUnknownPartitionMakesTheNextMeasurementDescribeTheTopicAgain() throws Exception {
    LagMonitor monitor = monitor();
    assertEquals(4, get(monitor.measure(topic, group, StartFrom.EARLIEST)).partitions().size());
    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all().get(30, TimeUnit.SECONDS);
    produce(4, 9);
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> commit(Map.of(4, 2L)));

    LagReport noticed = get(monitor.measure(topic, group, StartFrom.EARLIEST));
    LagReport refreshed = get(monitor.measure(topic, group, StartFrom.EARLIEST));

    assertEquals(4, noticed.partitions().size());
    assertEquals(new PartitionLag(4, 9, OptionalLong.of(2), 2, 7), refreshed.partition(4));
  }

  @Test
  void aTopicThatDoesNotExistFailsNamingTheGroupAndTheTopic() {
    String missing = KafkaFixture.uniqueTopic("missing");

    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> get(monitor().measure(missing, group, StartFrom.EARLIEST)));

    assertEquals("could not measure the lag of group '" + group + "' on topic '" + missing + "': topic '" + missing
        + "' does not exist", failure.getCause().getMessage());
  }

  @Test
  void theReportArrivesOnTheContextOfTheCaller() throws Exception {
    LagMonitor monitor = monitor();
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Context> completedOn = new CompletableFuture<>();
    CompletableFuture<String> thread = new CompletableFuture<>();

    context.runOnContext(v -> monitor.measure(topic, group, StartFrom.EARLIEST).onComplete(result -> {
      thread.complete(Thread.currentThread().getName());
      completedOn.complete(Vertx.currentContext());
    }));

    assertSame(context, completedOn.get(30, TimeUnit.SECONDS));
    assertTrue(thread.get().startsWith("vert.x-eventloop-thread-"), thread.get());
  }

  private LagMonitor monitor() {
    return new LagMonitor(vertx, admin);
  }

  private void commit(Map<Integer, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.forEach((partition, offset) -> commits.put(new TopicPartition(topic, partition),
        new OffsetAndMetadata(offset)));
    admin.alterConsumerGroupOffsets(group, commits).all().get(30, TimeUnit.SECONDS);
  }

  private void produce(int partition, int count) throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sends.add(producer.send(new ProducerRecord<>(topic, partition, null, ("event-" + i).getBytes())));
    }
    // Every send must have succeeded: a lost one would make the expected offsets wrong.
    for (java.util.concurrent.Future<RecordMetadata> send : sends) {
      send.get(30, TimeUnit.SECONDS);
    }
  }

  private static LagReport get(Future<LagReport> report) throws Exception {
    return report.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
