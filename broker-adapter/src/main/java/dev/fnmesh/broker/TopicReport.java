package dev.fnmesh.broker;

import java.util.Objects;

/**
 * A topic fnmesh made sure of: created as asked, or found as it was.
 *
 * @param topic the topic
 * @param created whether fnmesh created it just now; false for a topic that existed
 * @param partitions the partitions it has
 * @param replicas the replicas of its least replicated partition
 * @param asked the replicas fnmesh creates it with, by its {@link TopicPolicy}
 */
public record TopicReport(String topic, boolean created, int partitions, int replicas, int asked) {

  public TopicReport {
    Objects.requireNonNull(topic, "topic");
  }

  /** Whether the topic existed with fewer replicas than fnmesh would have given it; it is used all the same. */
  public boolean underReplicated() {
    return replicas < asked;
  }

  /** What a user reads about an under-replicated topic. */
  public String problem() {
    return "topic '" + topic + "' has " + replicas + (replicas == 1 ? " replica" : " replicas") + " per partition,"
        + " fewer than the " + asked + " fnmesh creates topics with; it is used as it is (raise it with"
        + " kafka-reassign-partitions.sh)";
  }
}
