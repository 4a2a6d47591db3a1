package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;

/** The Kafka client settings of the cron thread: the mesh's settings plus what leadership relies on. */
final class CronClientConfigs {

  private CronClientConfigs() {}

  /** The member of the cron group that reads the state topic. */
  static Map<String, Object> consumer(KafkaSettings kafka, CronSchedulerSettings settings, String instance) {
    Map<String, Object> config = kafka.consumerConfig(instance, settings.groupId(), "earliest");
    // Only committed ticks are state; an aborted transaction's state record must never count as fired.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The state read ends at a transaction marker, which a fetch skips only after waiting this long; only
    // the leader fetches, from a topic of one record per tick, so frequent fetches cost little.
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    return config;
  }

  /** The leader's transactional producer; every process uses the same transactional id. */
  static Map<String, Object> producer(KafkaSettings kafka, CronSchedulerSettings settings, String instance) {
    Map<String, Object> config = kafka.producerConfig(instance + "-tx");
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    // A leader that dies inside a transaction blocks read_committed readers of the tick topics until it is
    // aborted: by the next leader's fencing, or by the coordinator after this timeout.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return config;
  }

  static Map<String, Object> admin(KafkaSettings kafka, String instance) {
    return kafka.adminConfig(instance + "-admin");
  }
}
