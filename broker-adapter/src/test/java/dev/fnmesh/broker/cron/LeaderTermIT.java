package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.TriggerSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two leader terms on one state topic, driven step by step as the cron thread drives them and on a clock
 * the test moves: the term elected last fences the stale leader, whose next tick does not commit, and goes
 * on from the last tick the stale one fired, so that every scheduled instant fires once.
 */
@ExtendWith(KafkaFixture.class)
class LeaderTermIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  // Both terms are processes of one mesh: they share its key.
  private static final ClusterKey KEY = ClusterKey.of(ClusterKey.generateText(), "the test");

  private final List<AutoCloseable> resources = new ArrayList<>();
  // Near the real time: a broker refuses records stamped far from its own clock.
  private final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500));
  private CronSchedulerSettings settings;
  private TriggerSpec trigger;

  @BeforeEach
  void namesOfItsOwn() {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    settings = new CronSchedulerSettings(KafkaFixture.uniqueTopic("leader-state"), "leader-" + unique,
        "leader-term-" + unique, CronSchedulerSettings.DEFAULT_LATE_TOLERANCE);
    String topic = KafkaFixture.uniqueTopic("leader-ticks");
    KafkaFixture.createTopic(topic, 1);
    trigger = CronTrigger.of("tick", "* * * * * *").withTopic(topic, 1).spec();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void theLeaderElectedLastFencesTheStaleOneAndEveryInstantFiresOnce() {
    Term stale = new Term("stale");
    stale.elected();
    Instant first = clock.advanceToNextSecond();
    stale.step();
    TickReader ticks = new TickReader(trigger.topic());
    resources.add(ticks);
    await().atMost(WAIT).until(() -> ticks.ids().equals(List.of(CronTicks.id("tick", first))));

    Term elected = new Term("elected");
    elected.elected();
    Instant second = clock.advanceToNextSecond();
    stale.step();

    assertFalse(stale.term.isLeading(), "the stale leader's tick did not commit and its term ended");
    assertTrue(elected.term.isLeading());
    elected.step();
    await().atMost(WAIT).until(() -> ticks.ids().size() >= 2);
    assertEquals(List.of(CronTicks.id("tick", first), CronTicks.id("tick", second)), ticks.ids(),
        "the stale leader's tick is not read, the elected one fires it instead, and never the first again");
  }

  @Test
  void aTermElectedOnAStateTopicWithTicksGoesOnAfterTheLastOneFired() {
    Term before = new Term("before");
    before.elected();
    Instant first = clock.advanceToNextSecond();
    before.step();
    before.term.end();

    Term after = new Term("after");
    after.elected();
    Instant second = clock.advanceToNextSecond();
    after.step();

    TickReader ticks = new TickReader(trigger.topic());
    resources.add(ticks);
    await().atMost(WAIT).until(() -> ticks.ids().size() >= 2);
    assertEquals(List.of(CronTicks.id("tick", first), CronTicks.id("tick", second)), ticks.ids());
  }

  /** One process's side: its consumer of the state partition, its trigger table and its term. */
  private final class Term {
    private final LeaderTerm term;
    private final KafkaConsumer<byte[], byte[]> consumer;

    Term(String instance) {
      KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
      TriggerTable table = new TriggerTable(settings.lateTolerance());
      table.replace(List.of(trigger), clock.instant());
      CronTopics topics = new CronTopics(CronClientConfigs.admin(kafka, instance), kafka.topics(),
          KafkaClientMeters.none());
      resources.add(topics);
      topics.ensureStateTopic(settings.stateTopic());
      assertTrue(topics.ready(trigger, clock.instant()), "the tick topic exists");
      term = new LeaderTerm(CronClientConfigs.producer(kafka, settings, instance), settings.stateTopic(), table, topics,
          clock, instance, StateSignatures.with(KEY), dev.fnmesh.broker.tracing.Tracing.OFF,
          KafkaClientMeters.none());
      resources.add(term::end);
      consumer = new KafkaConsumer<>(CronClientConfigs.consumer(kafka, settings, instance));
      resources.add(consumer);
      // What the group's assignment does for the cron thread; here the test says who owns the partition.
      consumer.assign(List.of(term.statePartition()));
    }

    /** The partition is this process's: the term fences the previous leader and reads the state to its end. */
    void elected() {
      term.assigned();
      await().atMost(WAIT).until(() -> {
        step();
        return term.isLeading();
      });
    }

    /** One turn of the cron loop: start the term when due, poll, learn the state, fire what is due. */
    void step() {
      term.beforePoll(consumer);
      term.afterPoll(consumer.poll(Duration.ofMillis(100)), consumer);
    }
  }

  /** A clock that stands still until the test moves it. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      now = start;
    }

    /** Moves to the next whole second, the next instant of an every-second schedule, and returns it. */
    Instant advanceToNextSecond() {
      now = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      return now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
