package dev.fnmesh.broker.cron;

import dev.fnmesh.mesh.TriggerSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
  // Compaction only cleans closed segments: short segments keep the state topic, read whole by every new
  // leader, at about one record per trigger instead of one per tick of the last week.
  private static final String STATE_SEGMENT_MS = String.valueOf(Duration.ofMinutes(10).toMillis());

  private final Admin admin;
  private final Set<String> ready = new HashSet<>();
  private final Map<String, Instant> retryAt = new HashMap<>();

  CronTopics(Map<String, Object> adminConfig) {
    this.admin = Admin.create(adminConfig);
  }

  /**
   * Creates the single-partition compacted state topic unless it exists.
   *
   * @throws IllegalStateException when Kafka did not create it within {@link #TIMEOUT}
   */
  void ensureStateTopic(String topic) {
    NewTopic state = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.SEGMENT_MS_CONFIG, STATE_SEGMENT_MS));
    create(state);
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
      create(new NewTopic(trigger.topic(), Optional.of(trigger.partitions()), Optional.empty()));
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

  private void create(NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("cron topic created topic={} partitions={}", topic.name(), topic.numPartitions());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create Kafka topic '" + topic.name() + "': "
            + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic '" + topic.name() + "' within "
          + TIMEOUT.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic '" + topic.name() + "'", e);
    }
    ready.add(topic.name());
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
