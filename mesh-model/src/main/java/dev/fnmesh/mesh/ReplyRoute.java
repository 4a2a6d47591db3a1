package dev.fnmesh.mesh;

import java.util.Objects;
import java.util.Optional;

/**
 * One route of a trigger's {@code reply:}: the reply events that pass its filter are published to its topic.
 * {@code reply: { topic: T }} is one route without a filter.
 *
 * @param filter which replies take this route, in the language of a trigger's {@code filter:}; empty for all
 * @param topic where they are published
 */
public record ReplyRoute(Optional<FilterSpec> filter, String topic) {

  public ReplyRoute {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(topic, "topic");
  }

  /** Every reply to {@code topic}. */
  public static ReplyRoute to(String topic) {
    return new ReplyRoute(Optional.empty(), topic);
  }
}
