package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.cron.TickReader.Read;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.CronSource.Missed;
import dev.fnmesh.mesh.TriggerSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KafkaFixture.class)
class CronSchedulerIT {

  private static final Logger LOG = LoggerFactory.getLogger(CronSchedulerIT.class);
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration STARTUP = Duration.ofSeconds(20);
  // Shared by the tests of this class, one after the other: a new transactional id costs ~1 s on first use.
  private static final String TRANSACTIONAL_ID = "cron-it-" + UUID.randomUUID();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final StateSignatures signatures = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "the test"));
  private CronSchedulerSettings coordination;
  private String topic;

  @BeforeEach
  void uniqueNames() {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    coordination = new CronSchedulerSettings(KafkaFixture.uniqueTopic("cron-state"), "cron-" + unique,
        TRANSACTIONAL_ID, CronSchedulerSettings.DEFAULT_LATE_TOLERANCE);
    topic = KafkaFixture.uniqueTopic("ticks");
    KafkaFixture.createTopic(topic, 2);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void aOneSecondScheduleFiresOneTickPerSecondCloseToTheScheduledInstant() {
    CronScheduler scheduler = scheduler(List.of(everySecond("tick").spec()));
    TickReader reader = reader(topic);

    await().atMost(STARTUP).until(() -> reader.ticks().size() >= 4);

    List<Read> ticks = reader.ticks();
    assertContiguous(ticks.stream().map(Read::scheduledAt).toList(), SECOND);
    for (Read tick : ticks) {
      assertEquals(CronTicks.id("tick", tick.scheduledAt()), tick.event().getId());
      assertTrue(tick.lateMs() >= 0 && tick.lateMs() < 250, "sent " + tick.lateMs() + " ms after " + tick.scheduledAt());
    }
    LOG.info("observed lateMs={}", ticks.stream().map(Read::lateMs).toList());
    assertTrue(scheduler.isLeader());
  }

  @Test
  void twoSchedulersSharingOneKafkaFireEachScheduledInstantExactlyOnce() {
    CronScheduler first = scheduler(List.of(everySecond("tick").spec()));
    CronScheduler second = scheduler(List.of(everySecond("tick").spec()));
    TickReader reader = reader(topic);

    await().atMost(STARTUP).until(() -> reader.ticks().size() >= 5);

    List<String> ids = reader.ids();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate ticks in " + ids);
    assertContiguous(reader.scheduled(), SECOND);
    assertNotEquals(first.isLeader(), second.isLeader(), "exactly one of the two leads");
  }

  @Test
  void whenTheLeaderClosesTheOtherTakesOverAndGoesOnWithoutDuplicates() throws Exception {
    CronScheduler first = scheduler(List.of(everySecond("tick").spec()));
    CronScheduler second = scheduler(List.of(everySecond("tick").spec()));
    TickReader reader = reader(topic);
    await().atMost(STARTUP).until(() -> reader.ticks().size() >= 2 && (first.isLeader() || second.isLeader()));
    CronScheduler leader = first.isLeader() ? first : second;
    CronScheduler follower = leader == first ? second : first;

    Instant closing = Instant.now();
    leader.close();
    Instant closed = Instant.now();
    await().atMost(STARTUP).until(follower::isLeader);
    Instant tookOver = Instant.now();
    int before = reader.ticks().size();
    await().atMost(STARTUP).until(() -> reader.ticks().size() >= before + 3);

    List<String> ids = reader.ids();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate ticks in " + ids);
    List<Instant> scheduled = reader.scheduled();
    for (int i = 1; i < scheduled.size(); i++) {
      assertTrue(scheduled.get(i).isAfter(scheduled.get(i - 1)), "ticks out of order: " + scheduled);
    }
    LOG.info("leader takeover closeMs={} takeoverMs={} gaps={}", Duration.between(closing, closed).toMillis(),
        Duration.between(closed, tookOver).toMillis(), gaps(scheduled, SECOND));
  }

  @Test
  void withMissedOnceOneCatchUpTickFiresForTheLatestTickMissedDuringDowntime() throws Exception {
    Instant thisYear = ZonedDateTime.now(ZoneOffset.UTC).withDayOfYear(1).toLocalDate().atStartOfDay()
        .toInstant(ZoneOffset.UTC);
    lastFiredBeforeDowntime("yearly", thisYear.atZone(ZoneOffset.UTC).minusYears(2).toInstant());
    CronScheduler scheduler = scheduler(List.of(yearly("yearly", Missed.ONCE).spec()));
    TickReader reader = reader(topic);

    await().atMost(STARTUP).until(() -> reader.ticks().size() >= 1);
    await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() -> reader.ticks().size() == 1);

    assertEquals(List.of(CronTicks.id("yearly", thisYear)), reader.ids());
    assertTrue(scheduler.isLeader());
  }

  @Test
  void withMissedSkipNoTickMissedDuringDowntimeFires() throws Exception {
    Instant thisYear = ZonedDateTime.now(ZoneOffset.UTC).withDayOfYear(1).toLocalDate().atStartOfDay()
        .toInstant(ZoneOffset.UTC);
    lastFiredBeforeDowntime("yearly", thisYear.atZone(ZoneOffset.UTC).minusYears(2).toInstant());
    CronScheduler scheduler = scheduler(List.of(yearly("yearly", Missed.SKIP).spec()));
    TickReader reader = reader(topic);

    await().atMost(STARTUP).until(scheduler::isLeader);
    await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() -> reader.ticks().isEmpty());
  }

  @Test
  void aForgedStateRecordDoesNotSilenceATrigger() throws Exception {
    // A tick "fired" an hour from now would hold every tick of the trigger back for an hour.
    Instant ahead = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    KafkaFixture.createTopic(coordination.stateTopic(), 1);
    StateSignatures anotherKey = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "another test"));
    write(CronStateRecords.record(coordination.stateTopic(), "tick", ahead));
    write(anotherKey.sign(CronStateRecords.record(coordination.stateTopic(), "tick", ahead)));

    CronScheduler scheduler = scheduler(List.of(everySecond("tick").spec()));
    TickReader reader = reader(topic);

    await().atMost(STARTUP).until(() -> reader.ticks().size() >= 2);
    assertTrue(reader.scheduled().get(0).isBefore(ahead), "ticks: " + reader.scheduled());
    assertTrue(scheduler.isLeader());
    assertTrue(signatures.rejected() >= 2, "rejected: " + signatures.rejected());
  }

  @Test
  void aReplacedTriggerStopsAndANewOneStartsFromNow() {
    String otherTopic = KafkaFixture.uniqueTopic("other-ticks");
    CronScheduler scheduler = scheduler(List.of(everySecond("old").spec()));
    TickReader oldTicks = reader(topic);
    await().atMost(STARTUP).until(() -> oldTicks.ticks().size() >= 1);

    Instant replaced = Instant.now();
    scheduler.replace(List.of(everySecond("new").withTopic(otherTopic, 1).spec()));
    TickReader newTicks = reader(otherTopic);
    await().atMost(STARTUP).until(() -> newTicks.ticks().size() >= 2);
    int oldCount = oldTicks.ticks().size();
    await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
        .until(() -> oldTicks.ticks().size() == oldCount);

    List<Instant> old = oldTicks.scheduled();
    assertFalse(old.get(old.size() - 1).isAfter(replaced.plusSeconds(1)), "old ticks after replace: " + old);
    assertTrue(newTicks.scheduled().get(0).isAfter(replaced), "new trigger backfilled: " + newTicks.scheduled());
    assertContiguous(newTicks.scheduled(), SECOND);
  }

  @Test
  void aRemovedTriggersStateIsRemovedFromTheStateTopic() {
    CronScheduler scheduler = scheduler(List.of(everySecond("kept").spec(), everySecond("removed").spec()));
    TickReader ticks = reader(topic);
    await().atMost(STARTUP).until(() -> ticks.ticks().size() >= 2 && stateOf("removed").isPresent());

    scheduler.replace(List.of(everySecond("kept").spec()));

    await().atMost(STARTUP).until(() -> stateOf("removed").equals(Optional.of(Optional.empty())));
    assertTrue(stateOf("kept").orElseThrow().isPresent(), "the kept trigger's state stays");
  }

  /**
   * The latest state record of the trigger: empty when there is none, a present empty value for a
   * tombstone, else its last fired instant.
   */
  private Optional<Optional<Instant>> stateOf(String trigger) {
    Map<String, Optional<Instant>> latest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("state-" + UUID.randomUUID()))) {
      TopicPartition partition = new TopicPartition(coordination.stateTopic(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          CronStateRecords.trigger(record).ifPresent(name -> latest.put(name, CronStateRecords.lastFired(record)));
        }
      }
    }
    return Optional.ofNullable(latest.get(trigger));
  }

  private CronScheduler scheduler(List<TriggerSpec> triggers) {
    CronScheduler scheduler = new CronScheduler(KafkaSettings.of(KafkaFixture.bootstrapServers()), coordination,
        signatures);
    resources.add(scheduler);
    scheduler.replace(triggers);
    scheduler.start();
    return scheduler;
  }

  /** A reader of the topic once it exists; readers close before the schedulers. */
  private TickReader reader(String tickTopic) {
    TickReader reader = await().atMost(STARTUP).ignoreExceptions()
        .until(() -> new TickReader(tickTopic), created -> true);
    resources.add(0, reader);
    return reader;
  }

  private CronTrigger everySecond(String name) {
    return CronTrigger.of(name, "* * * * * *").withTopic(topic, 2);
  }

  private CronTrigger yearly(String name, Missed missed) {
    return CronTrigger.of(name, "@yearly").withTopic(topic, 2).withMissed(missed);
  }

  /** What a leader that stopped long ago left in the state topic. */
  private void lastFiredBeforeDowntime(String trigger, Instant lastFired) throws Exception {
    KafkaFixture.createTopic(coordination.stateTopic(), 1);
    write(signatures.sign(CronStateRecords.record(coordination.stateTopic(), trigger, lastFired)));
  }

  private static void write(ProducerRecord<byte[], byte[]> record) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      producer.send(record).get();
    }
  }

  private static void assertContiguous(List<Instant> scheduled, Duration step) {
    assertTrue(gaps(scheduled, step).isEmpty(), "ticks not one per " + step + ": " + scheduled);
  }

  private static List<Instant> gaps(List<Instant> scheduled, Duration step) {
    List<Instant> gaps = new ArrayList<>();
    for (int i = 1; i < scheduled.size(); i++) {
      if (!scheduled.get(i).equals(scheduled.get(i - 1).plus(step))) {
        gaps.add(scheduled.get(i));
      }
    }
    return gaps;
  }
}
