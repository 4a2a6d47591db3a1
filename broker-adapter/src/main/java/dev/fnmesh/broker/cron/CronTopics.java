package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.impl.TopicCreator;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TriggerSpec;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the state topic and the tick topics when they are missing. Its calls block (bounded by
 * {@link #TIMEOUT}), so it is used on the cron thread only; a tick topic that could not be created is
 * tried again after {@link #RETRY}.
 */
final class CronTopics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CronTopics.class);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Duration RETRY = Duration.ofSeconds(1);

  private final Admin admin;
  private final KafkaClientMeters.Binding adminMeters;
  private final TopicCreator creator;
  private final Set<String> ready = new HashSet<>();
  private final Map<String, Instant> retryAt = new HashMap<>();

  CronTopics(Map<String, Object> adminConfig, TopicPolicy policy, KafkaClientMeters meters) {
    this.admin = Admin.create(adminConfig);
    this.adminMeters = meters.bind(admin);
    this.creator = new TopicCreator(admin, policy);
  }

  /**
   * Creates the single-partition compacted state topic unless it exists.
   *
   * @throws IllegalStateException when Kafka did not create it within {@link #TIMEOUT}
   */
  void ensureStateTopic(String topic) {
    create(topic, TopicPolicy.STATE_TOPIC);
  }

  /** Whether the trigger's topic exists, creating it when missing (at most once per {@link #RETRY}). */
  boolean ready(TriggerSpec trigger, Instant now) {
    if (ready.contains(trigger.topic())) {
      return true;
    }
    Instant retry = retryAt.get(trigger.topic());
    if (retry != null && now.isBefore(retry)) {
      return false;
    }
    try {
      create(trigger.topic(), trigger.topicSettings());
      retryAt.remove(trigger.topic());
      return true;
    } catch (IllegalStateException e) {
      LOG.warn("cron topic not ready, ticks held back trigger={} topic={} retryIn={}ms error={}", trigger.name(),
          trigger.topic(), RETRY.toMillis(), e.getMessage());
      retryAt.put(trigger.topic(), now.plus(RETRY));
      return false;
    }
  }

  /** Whether the topic is known to exist; asks Kafka nothing. */
  boolean isReady(String topic) {
    return ready.contains(topic);
  }

  /** When a topic that could not be created is tried again, if any is pending. */
  Optional<Instant> nextRetry() {
    return retryAt.values().stream().min(Instant::compareTo);
  }

  private void create(String topic, TopicSettings settings) {
    try {
      creator.ensure(topic, settings).toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic '" + topic + "' within " + TIMEOUT.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic '" + topic + "'", e);
    }
    ready.add(topic);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    adminMeters.close();
  }
}
