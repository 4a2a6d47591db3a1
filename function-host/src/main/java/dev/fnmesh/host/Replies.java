package dev.fnmesh.host;

import io.cloudevents.CloudEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one invocation of a function answered: zero or more reply events, in the order the function gave them.
 * Each is written to the trigger's {@code reply:} before the event's offset is finished.
 *
 * @param events the replies, none of them null
 */
public record Replies(List<CloudEvent> events) {

  /** No reply. */
  public static final Replies NONE = new Replies(List.of());

  public Replies {
    Objects.requireNonNull(events, "events");
    events = List.copyOf(events);
  }

  /** One reply, or none when {@code reply} is null. */
  public static Replies of(CloudEvent reply) {
    return reply == null ? NONE : new Replies(List.of(reply));
  }

  /** The replies of {@code events}, leaving out null elements; none when {@code events} is null. */
  public static Replies of(List<CloudEvent> events) {
    if (events == null || events.isEmpty()) {
      return NONE;
    }
    List<CloudEvent> present = new ArrayList<>(events.size());
    for (CloudEvent event : events) {
      if (event != null) {
        present.add(event);
      }
    }
    return new Replies(present);
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  public int size() {
    return events.size();
  }
}
