package dev.fnmesh.host;

import java.time.Duration;
import java.util.Optional;

/**
 * What a Kafka trigger's consumer needs to run: where to read, whom to call and where replies go.
 *
 * @param name the trigger's name in the mesh
 * @param topic the topic it consumes
 * @param groupId the consumer group shared by all replicas of the trigger
 * @param startFrom {@code earliest} or {@code latest}: where a group without committed offsets starts
 * @param function the name of the function it invokes
 * @param replyTopic where the function's reply events go; without it replies are dropped
 * @param timeout the time one invocation may take
 * @param maxInFlight events fetched but not yet finished above which fetching pauses
 * @param commitInterval how often finished offsets are committed
 */
public record TriggerSettings(
    String name,
    String topic,
    String groupId,
    String startFrom,
    String function,
    Optional<String> replyTopic,
    Duration timeout,
    int maxInFlight,
    Duration commitInterval) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public TriggerSettings {
    if (!startFrom.equals("earliest") && !startFrom.equals("latest")) {
      throw new IllegalArgumentException("startFrom must be 'earliest' or 'latest', got '" + startFrom + "'");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
  }

  /** A trigger with the defaults: group {@code fnmesh.<name>}, 30 s timeout, commits every second. */
  public static TriggerSettings of(String name, String topic, String function, Optional<String> replyTopic, String startFrom) {
    return new TriggerSettings(name, topic, "fnmesh." + name, startFrom, function, replyTopic,
        DEFAULT_TIMEOUT, 10_000, Duration.ofSeconds(1));
  }
}
