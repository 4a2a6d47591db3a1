package dev.fnmesh.host;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.function.PermanentFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a trigger did with its events, shared by all its replicas in this process, kept in Micrometer meters
 * only: {@link #snapshot()} reads the same meters {@code /metrics} serves. Every meter is registered once, when
 * the trigger starts, so that counting an event is an increment, never a lookup by tags; {@link #close()}
 * removes them when the trigger stops.
 */
public final class TriggerStats implements AutoCloseable {

  /** Buckets of a function's duration and of an event's latency: from a millisecond to a minute. */
  static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};
  /** Buckets of a batch's size, in events. */
  static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 10_000};

  /** How one attempt of the function ended: the {@code outcome} label of its duration and count. */
  public enum Attempt {
    SUCCEEDED("succeeded"), FAILED("failed"), TIMEOUT("timeout"), PERMANENT_FAILURE("permanent_failure");

    final String label;

    Attempt(String label) {
      this.label = label;
    }

    /** The outcome of an attempt that failed with {@code cause}. */
    public static Attempt of(Throwable cause) {
      return cause instanceof PermanentFailure ? PERMANENT_FAILURE
          : cause instanceof TimeoutException ? TIMEOUT : FAILED;
    }
  }

  /** How an event ended, once Kafka acknowledged what it ended with: the {@code outcome} label of its latency. */
  public enum Outcome {
    /** The function succeeded and its reply, if any, was written. */
    SUCCEEDED("succeeded"),
    DEAD_LETTERED("dead_lettered");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final MeterRegistry registry;
  private final KafkaClientMeters clients;
  private final String trigger;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter received;
  private final Counter filtered;
  private final Counter retried;
  // Registered by the first batch, so that a trigger that delivers single events shows no empty series.
  private volatile DistributionSummary batchSizes;
  private final Counter unrouted;
  private final Timer[] attempts = new Timer[Attempt.values().length];
  private final Timer[] latencies = new Timer[Outcome.values().length];
  // Dead letters are rare: a map lookup by code is cheap enough, and every code fnmesh writes is there from the start.
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

  /** Meters of a trigger outside any process that serves {@code /metrics}: tests and benchmarks. */
  public TriggerStats() {
    this(new SimpleMeterRegistry(), KafkaClientMeters.none(), "trigger", "function", List.of());
  }

  /**
   * @param function the function the trigger invokes
   * @param deadLetterCodes the error codes a dead letter may carry, counted from zero
   */
  public TriggerStats(MeterRegistry registry, KafkaClientMeters clients, String trigger, String function,
      List<String> deadLetterCodes) {
    this.registry = registry;
    this.clients = clients;
    this.trigger = trigger;
    Tags triggerTag = Tags.of("trigger", trigger);
    received = event(Counter.builder("fnmesh.trigger.events").tags(triggerTag).tag("outcome", "received"));
    for (Attempt attempt : Attempt.values()) {
      Tags tags = triggerTag.and("function", function, "outcome", attempt.label);
      Timer timer = keep(Timer.builder("fnmesh.function.duration")
          .description("Duration of one attempt of the function").tags(tags)
          .serviceLevelObjectives(BUCKETS).register(registry));
      attempts[attempt.ordinal()] = timer;
      // The attempts are the timer's count: one number, read twice.
      keep(FunctionCounter.builder("fnmesh.function.attempts", timer, Timer::count)
          .description("Attempts of the function by how they ended").tags(tags).register(registry));
    }
    keep(FunctionCounter.builder("fnmesh.trigger.events", attempts[Attempt.SUCCEEDED.ordinal()], Timer::count)
        .description("Events of the trigger by what happened to them")
        .tags(triggerTag).tag("outcome", "succeeded").register(registry));
    filtered = event(Counter.builder("fnmesh.trigger.events").tags(triggerTag).tag("outcome", "filtered"));
    retried = event(Counter.builder("fnmesh.trigger.events").tags(triggerTag).tag("outcome", "retried"));
    unrouted = keep(Counter.builder("fnmesh.trigger.replies.unrouted")
        .description("Replies of the function that no route of the trigger's reply took, dropped")
        .tags(triggerTag).register(registry));
    keep(FunctionCounter.builder("fnmesh.trigger.events", this, TriggerStats::deadLettered)
        .description("Events of the trigger by what happened to them")
        .tags(triggerTag).tag("outcome", "dead_lettered").register(registry));
    deadLetterCodes.forEach(this::deadLetterCounter);
    for (Outcome outcome : Outcome.values()) {
      latencies[outcome.ordinal()] = keep(Timer.builder("fnmesh.event.latency")
          .description("From an event's arrival in Kafka to the acknowledgement of its reply or dead letter")
          .tags(triggerTag).tag("outcome", outcome.label)
          .serviceLevelObjectives(BUCKETS).register(registry));
    }
  }

  public void received() {
    received.increment();
  }

  /** One attempt of the function ended. */
  public void attempted(Attempt attempt, long nanos) {
    attempts[attempt.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The function was invoked with a batch of {@code events}. */
  public void batched(int events) {
    DistributionSummary sizes = batchSizes;
    if (sizes == null) {
      synchronized (meters) {
        if (batchSizes == null) {
          batchSizes = keep(DistributionSummary.builder("fnmesh.trigger.batch.size")
              .description("Events per invocation of a trigger that delivers batches, halves of a failed batch included")
              .tag("trigger", trigger).serviceLevelObjectives(BATCH_BUCKETS).register(registry));
        }
        sizes = batchSizes;
      }
    }
    sizes.record(events);
  }

  public void filtered() {
    filtered.increment();
  }

  public void retried() {
    retried.increment();
  }

  /** A reply matched no route of the trigger's {@code reply:} and was dropped. */
  public void unrouted() {
    unrouted.increment();
  }

  /** How many replies matched no route, since the trigger started. */
  public long unroutedReplies() {
    return (long) unrouted.count();
  }

  /** An event goes to the dead-letter topic with the error {@code code}. */
  public void deadLettered(String code) {
    Counter counter = deadLetters.get(code);
    (counter != null ? counter : deadLetterCounter(code)).increment();
  }

  /**
   * An event ended as {@code outcome}, acknowledged by Kafka now.
   *
   * @param eventTimestamp the record's timestamp, in epoch milliseconds; negative when it has none (not measured)
   */
  public void ended(Outcome outcome, long eventTimestamp) {
    if (eventTimestamp >= 0) {
      latencies[outcome.ordinal()].record(Math.max(0, System.currentTimeMillis() - eventTimestamp), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Publishes the metrics of a consumer of the trigger.
   *
   * @return the binding, to close once the consumer is closed
   */
  public AutoCloseable meter(Consumer<?, ?> consumer) {
    return clients.bind(consumer);
  }

  /** The counts at this moment. */
  public Snapshot snapshot() {
    return new Snapshot((long) received.count(), attempts[Attempt.SUCCEEDED.ordinal()].count(),
        (long) filtered.count(), (long) retried.count(), (long) deadLettered());
  }

  /** Removes the trigger's meters from the registry: its series leave {@code /metrics}. */
  @Override
  public void close() {
    synchronized (meters) {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }

  private double deadLettered() {
    double sum = 0;
    for (Counter counter : deadLetters.values()) {
      sum += counter.count();
    }
    return sum;
  }

  private Counter deadLetterCounter(String code) {
    return deadLetters.computeIfAbsent(code, c -> keep(Counter.builder("fnmesh.dead.letters")
        .description("Events written to the dead-letter topic, by error code")
        .tags("trigger", trigger, "code", c).register(registry)));
  }

  private Counter event(Counter.Builder builder) {
    return keep(builder.description("Events of the trigger by what happened to them").register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    synchronized (meters) {
      meters.add(meter);
    }
    return meter;
  }

  /** The counters at one moment. */
  public record Snapshot(long received, long succeeded, long filtered, long retried, long deadLettered) {}
}
