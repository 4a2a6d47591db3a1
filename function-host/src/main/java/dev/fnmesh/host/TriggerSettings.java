package dev.fnmesh.host;

import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSpec;
import io.cloudevents.CloudEvent;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a trigger's replicas need to run: where to read, which events pass, whom to call, how to deliver
 * and where replies go.
 *
 * @param name the trigger's name in the mesh
 * @param topic the topic it consumes
 * @param groupId the consumer group shared by all replicas of the trigger
 * @param startFrom where a group without committed offsets starts, as {@link StartFrom#text()}: {@code earliest},
 *     {@code latest} or an RFC 3339 time
 * @param function the name of the function it invokes
 * @param replies where the function's reply events go, by route; without a route replies are dropped
 * @param filter which events reach the function; the others are committed and counted
 * @param dataCheck why an event's data is invalid (it then goes to the dead-letter topic), or empty
 * @param delivery retries, backoff, timeout, dead letters and ordering
 * @param maxPending events fetched but not yet finished, per replica, above which fetching pauses
 * @param commitInterval how often finished offsets are committed
 */
public record TriggerSettings(
    String name,
    String topic,
    String groupId,
    String startFrom,
    String function,
    ReplyRoutes replies,
    EventFilter filter,
    Function<CloudEvent, Optional<String>> dataCheck,
    DeliverySettings delivery,
    int maxPending,
    Duration commitInterval) {

  public static final Duration DEFAULT_TIMEOUT = DeliverySettings.DEFAULT_TIMEOUT;

  public TriggerSettings {
    StartFrom.parse(startFrom);
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
    }
  }

  /** A trigger with the defaults: group {@code fnmesh.<name>}, no filter, default delivery, commits every second. */
  public static TriggerSettings of(String name, String topic, String function, Optional<String> replyTopic, String startFrom) {
    return new TriggerSettings(name, topic, TriggerSpec.groupId(name), startFrom, function, ReplyRoutes.to(replyTopic),
        EventFilter.ACCEPT_ALL,
        event -> Optional.empty(), DeliverySettings.defaults(name), 10_000, Duration.ofSeconds(1));
  }

  public TriggerSettings withReplies(ReplyRoutes newReplies) {
    return new TriggerSettings(name, topic, groupId, startFrom, function, newReplies, filter, dataCheck, delivery,
        maxPending, commitInterval);
  }

  public TriggerSettings withFilter(EventFilter newFilter) {
    return new TriggerSettings(name, topic, groupId, startFrom, function, replies, newFilter, dataCheck, delivery,
        maxPending, commitInterval);
  }

  public TriggerSettings withDataCheck(Function<CloudEvent, Optional<String>> newCheck) {
    return new TriggerSettings(name, topic, groupId, startFrom, function, replies, filter, newCheck, delivery,
        maxPending, commitInterval);
  }

  public TriggerSettings withDelivery(DeliverySettings newDelivery) {
    return new TriggerSettings(name, topic, groupId, startFrom, function, replies, filter, dataCheck, newDelivery,
        maxPending, commitInterval);
  }
}
