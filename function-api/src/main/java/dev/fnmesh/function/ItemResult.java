package dev.fnmesh.function;

import io.cloudevents.CloudEvent;

import java.util.List;
import java.util.Objects;

/**
 * How one event of a batch ended (see {@link Function#applyBatch}): with its replies, with none, failed (the
 * host retries that event alone under the trigger's {@code retry:} policy) or failed for good (the host
 * dead-letters it at once, as a {@link PermanentFailure} does).
 *
 * @param id the {@code id} of the event it answers
 * @param status how the event ended
 * @param replies the reply events, in the order they are written; empty unless {@link Status#REPLY}
 * @param error why the event failed; null unless {@link Status#FAILED} or {@link Status#PERMANENT}
 */
public record ItemResult(String id, Status status, List<CloudEvent> replies, String error) {

  /** How one event of a batch ended; {@link #wireName} is its name in the HTTP batch answer. */
  public enum Status {
    REPLY("reply"), NONE("none"), FAILED("failed"), PERMANENT("permanent");

    private final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public ItemResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    replies = List.copyOf(replies);
    if (status == Status.REPLY && replies.isEmpty()) {
      throw new IllegalArgumentException("a reply result of event id=" + id + " needs at least one reply event");
    }
    if (status != Status.REPLY && !replies.isEmpty()) {
      throw new IllegalArgumentException("a " + status.wireName + " result of event id=" + id + " carries no replies");
    }
    boolean failure = status == Status.FAILED || status == Status.PERMANENT;
    if (failure != (error != null)) {
      throw new IllegalArgumentException(failure ? "a " + status.wireName + " result of event id=" + id
          + " needs an error" : "a " + status.wireName + " result of event id=" + id + " carries no error");
    }
  }

  /** The event was answered with {@code replies}, none of them null; no reply at all when there is none. */
  public static ItemResult replied(CloudEvent event, List<CloudEvent> replies) {
    return replies.isEmpty() ? noReply(event) : new ItemResult(event.getId(), Status.REPLY, replies, null);
  }

  /** The event was answered with {@code reply}, or with no reply when it is null. */
  public static ItemResult replied(CloudEvent event, CloudEvent reply) {
    return reply == null ? noReply(event) : replied(event, List.of(reply));
  }

  public static ItemResult noReply(CloudEvent event) {
    return new ItemResult(event.getId(), Status.NONE, List.of(), null);
  }

  /** The event failed and may succeed when tried again. */
  public static ItemResult failed(CloudEvent event, String error) {
    return new ItemResult(event.getId(), Status.FAILED, List.of(), error);
  }

  /** The event can never succeed: it goes to the dead-letter topic without retries. */
  public static ItemResult permanent(CloudEvent event, String error) {
    return new ItemResult(event.getId(), Status.PERMANENT, List.of(), error);
  }

  /**
   * The result of calling {@link Function#applyAll} for the event: {@code failure} null when it succeeded, then
   * its replies (null ones left out).
   */
  static ItemResult of(CloudEvent event, List<CloudEvent> replies, Throwable failure) {
    if (failure == null) {
      return replied(event, replies == null ? List.of() : replies.stream().filter(Objects::nonNull).toList());
    }
    String error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return failure instanceof PermanentFailure ? permanent(event, error) : failed(event, error);
  }
}
