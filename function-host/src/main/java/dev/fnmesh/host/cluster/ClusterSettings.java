package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.cron.CronSchedulerSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the processes of one mesh find each other through Kafka.
 *
 * @param stateTopic the compacted single-partition topic that holds the mesh, the live hosts and the
 *     replicas the controller gave each host; meshes sharing a cluster use different topics
 * @param beatInterval how often a host says it is alive
 * @param hostTimeout how long a silent host still counts as alive; its replicas then move to the others
 */
public record ClusterSettings(String stateTopic, Duration beatInterval, Duration hostTimeout) {

  public static final String DEFAULT_STATE_TOPIC = "fnmesh.state";

  public ClusterSettings {
    Objects.requireNonNull(stateTopic, "stateTopic");
    if (stateTopic.isBlank()) {
      throw new IllegalArgumentException("stateTopic must not be blank");
    }
    if (beatInterval.isNegative() || beatInterval.isZero()) {
      throw new IllegalArgumentException("beatInterval must be positive, got " + beatInterval);
    }
    if (hostTimeout.compareTo(beatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("hostTimeout must be at least two beat intervals (" + beatInterval.multipliedBy(2)
          + "), got " + hostTimeout);
    }
  }

  /**
   * The cron leader election of the mesh's hosts: the default one for the default state topic, else one
   * named after the state topic, so that the hosts of two meshes on one cluster do not elect one leader.
   */
  public CronSchedulerSettings cron() {
    if (stateTopic.equals(DEFAULT_STATE_TOPIC)) {
      return CronSchedulerSettings.defaults();
    }
    String name = stateTopic + ".cron";
    return new CronSchedulerSettings(name + ".state", name, name, CronSchedulerSettings.DEFAULT_LATE_TOLERANCE);
  }

  /**
   * The topic where the hosts write their functions' log entries and the controller reads them: {@code fnmesh.logs}
   * for the default state topic, else one named after the state topic. Its name starts with {@code fnmesh.}
   * either way, so that no request to {@code /topics} reaches it.
   */
  public String logTopic() {
    return stateTopic.equals(DEFAULT_STATE_TOPIC) ? "fnmesh.logs" : "fnmesh.logs." + stateTopic;
  }

  public static ClusterSettings defaults() {
    return new ClusterSettings(DEFAULT_STATE_TOPIC, Duration.ofSeconds(1), Duration.ofSeconds(5));
  }
}
