package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A consumer's thread opens, steps, restarts after a failure, wakes and closes as its contract says. */
@ExtendWith(KafkaFixture.class)
class ConsumerThreadIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  // Long enough that a test waiting for the poll's end fails first: only a wake-up ends it in time.
  private static final Duration LONG_POLL = Duration.ofMinutes(5);
  private static final Duration RESTART = Duration.ofMillis(700);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final List<ConsumerThread> threads = new ArrayList<>();
  private final List<CountDownLatch> latches = new ArrayList<>();
  private TopicPartition partition;

  @BeforeEach
  void topicOfItsOwn() {
    String topic = KafkaFixture.uniqueTopic("consumer-thread");
    KafkaFixture.createTopic(topic, 1);
    partition = new TopicPartition(topic, 0);
  }

  @AfterEach
  void closeThreads() {
    latches.forEach(CountDownLatch::countDown);
    threads.forEach(ConsumerThread::close);
  }

  @Test
  void aWakeUpFromAnotherThreadEndsALongPollAndTheNextStepFollows() {
    PollingWork work = new PollingWork(LONG_POLL);
    ConsumerThread thread = started("wake", work);
    await().atMost(WAIT).until(() -> work.steps.get() == 1);
    thread.wakeUp();
    await().atMost(WAIT).until(() -> work.steps.get() == 2);
    assertEquals(0, work.failures.get(), "a wake-up is not a failure");
    assertEquals(1, work.opened.size(), "a wake-up does not open the consumer again");
  }

  @Test
  void aFailedStepIsFollowedByAnotherOpenAfterTheRestartDelay() {
    PollingWork work = new PollingWork(Duration.ofMillis(50));
    work.failingSteps.set(1);
    started("restart", work);
    await().atMost(WAIT).until(() -> work.opened.size() == 2);
    long waitedNanos = work.opened.get(1).openedAt - work.failedAt;
    assertTrue(waitedNanos >= RESTART.toNanos(), "opened again after " + waitedNanos / 1_000_000 + " ms");
    assertClosed(work.opened.get(0).consumer);
    await().atMost(WAIT).until(() -> work.steps.get() >= 3);
  }

  @Test
  void aFailureTheWorkDoesNotRestartFromEndsTheThreadAndFailsItsEndedAndStopFutures() {
    PollingWork work = new PollingWork(Duration.ofMillis(50));
    work.failingSteps.set(1);
    work.restarts = false;
    ConsumerThread thread = started("fatal-future", work);
    // Its owner learns of the end without asking for a stop, and may replace the thread.
    await().atMost(WAIT).until(() -> thread.ended().isComplete());
    assertTrue(thread.ended().failed());
    assertEquals(1, work.closes.get(), "the work was closed before the end was told");
    Future<Void> stopped = thread.stop();
    await().atMost(WAIT).until(stopped::isComplete);
    assertTrue(stopped.failed());
    assertEquals("step failed on purpose", stopped.cause().getMessage());
    assertEquals(1, work.opened.size(), "no open after a failure the work does not restart from");
    assertClosed(work.opened.get(0).consumer);
  }

  @Test
  void closeWakesTheLongPollAndReturnsOnceTheWorkClosedTheConsumerOnTheConsumerThread() {
    PollingWork work = new PollingWork(LONG_POLL);
    ConsumerThread thread = started("close", work);
    await().atMost(WAIT).until(() -> work.steps.get() == 1);
    long start = System.nanoTime();
    thread.close();
    long tookNanos = System.nanoTime() - start;
    assertTrue(tookNanos < CLOSE_WAIT.toNanos(), "close took " + tookNanos / 1_000_000 + " ms");
    assertEquals(1, work.closes.get(), "the work was closed once before close returned");
    assertClosed(work.opened.get(0).consumer);
    assertEquals(Set.of("fnmesh-test-close"), work.calledOn);
    assertTrue(thread.stop().succeeded());
  }

  @Test
  void closeReturnsAfterItsWaitWhenTheWorkIsSlowToClose() {
    PollingWork work = new PollingWork(LONG_POLL);
    work.closing = new CountDownLatch(1);
    latches.add(work.closing);
    ConsumerThread thread = new ConsumerThread("fnmesh-test-slow", RESTART, Duration.ofMillis(300), work);
    thread.start();
    threads.add(thread);
    await().atMost(WAIT).until(() -> work.steps.get() == 1);
    assertTimeoutPreemptively(WAIT, thread::close);
    assertFalse(thread.stop().isComplete(), "the thread is still closing");
    work.closing.countDown();
    await().atMost(WAIT).until(() -> thread.stop().succeeded());
  }

  @Test
  void aThreadStoppedBeforeItStartedNeverRunsAndCannotStart() {
    PollingWork work = new PollingWork(LONG_POLL);
    ConsumerThread thread = new ConsumerThread("fnmesh-test-unstarted", RESTART, CLOSE_WAIT, work);
    assertTrue(thread.stop().succeeded());
    assertThrows(IllegalStateException.class, thread::start);
    thread.close();
    assertTrue(work.calledOn.isEmpty());
  }

  private ConsumerThread started(String name, PollingWork work) {
    ConsumerThread thread = new ConsumerThread("fnmesh-test-" + name, RESTART, CLOSE_WAIT, work);
    threads.add(thread);
    thread.start();
    return thread;
  }

  private static void assertClosed(Consumer<byte[], byte[]> consumer) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.poll(Duration.ZERO));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  private record Opened(Consumer<byte[], byte[]> consumer, long openedAt) {}

  /** Assigns the test's partition to a consumer of its own per open and polls it, recording every call. */
  private final class PollingWork implements ConsumerThread.Work {
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final Set<String> calledOn = new CopyOnWriteArraySet<>();
    final AtomicInteger steps = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger failingSteps = new AtomicInteger();
    private final Duration poll;
    volatile boolean restarts = true;
    volatile long failedAt;
    volatile CountDownLatch closing;
    private Consumer<byte[], byte[]> consumer;

    PollingWork(Duration poll) {
      this.poll = poll;
    }

    @Override
    public Consumer<?, ?> open() {
      calledOn.add(Thread.currentThread().getName());
      consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("consumer-thread-it"));
      consumer.assign(List.of(partition));
      opened.add(new Opened(consumer, System.nanoTime()));
      return consumer;
    }

    @Override
    public void step() {
      calledOn.add(Thread.currentThread().getName());
      steps.incrementAndGet();
      if (failingSteps.getAndDecrement() > 0) {
        throw new IllegalStateException("step failed on purpose");
      }
      consumer.poll(poll);
    }

    @Override
    public boolean failed(RuntimeException failure) {
      calledOn.add(Thread.currentThread().getName());
      failedAt = System.nanoTime();
      failures.incrementAndGet();
      consumer.close();
      consumer = null;
      return restarts;
    }

    @Override
    public void close() {
      calledOn.add(Thread.currentThread().getName());
      if (closing != null) {
        try {
          closing.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (consumer != null) {
        consumer.close();
      }
      closes.incrementAndGet();
    }
  }
}
