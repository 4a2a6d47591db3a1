package dev.fnmesh.host.logs;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a function's recent log: a line its process wrote, or a failed call.
 *
 * @param time when fnmesh read the line or saw the failure
 * @param function the function's name
 * @param replica the replica whose process wrote the line; empty for a failure
 * @param stream where the entry comes from
 * @param trigger the trigger whose delivery failed; empty for a line, or a call through {@code /functions/{name}}
 * @param eventId the id of the event whose call failed; empty for a line
 * @param message the line, or what the failure says
 * @param host the host whose function it was, in a mesh across processes as its controller tells; empty where
 *     the process that keeps the entry ran the function itself
 */
public record FunctionLogEntry(Instant time, String function, Optional<Integer> replica, Stream stream,
    Optional<String> trigger, Optional<String> eventId, String message, Optional<String> host) {

  /** Where an entry comes from: a process's stdout or stderr, or a failed call of any kind of function. */
  public enum Stream {
    STDOUT,
    STDERR,
    FAILURE;

    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Stream ofJsonName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public FunctionLogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(host, "host");
  }

  /** A line a function's process wrote. */
  public static FunctionLogEntry line(String function, int replica, Stream stream, String line) {
    return new FunctionLogEntry(now(), function, Optional.of(replica), stream, Optional.empty(),
        Optional.empty(), line, Optional.empty());
  }

  /** A failed call of a function with an event, by a trigger or, with no trigger, through its endpoint. */
  public static FunctionLogEntry failure(String function, Optional<String> trigger, String eventId, String message) {
    return new FunctionLogEntry(now(), function, Optional.empty(), Stream.FAILURE, trigger,
        Optional.of(eventId), message, Optional.empty());
  }

  // Milliseconds, as the log lines have them: finer would claim a precision the reading of a line does not have.
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The same entry, naming the host whose function it was. */
  public FunctionLogEntry from(String hostId) {
    return new FunctionLogEntry(time, function, replica, stream, trigger, eventId, message, Optional.of(hostId));
  }

  /** The answer's shape: {@code {time, host?, function, replica?, stream, trigger?, event_id?, message}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("time", time.toString());
    host.ifPresent(h -> json.put("host", h));
    json.put("function", function);
    replica.ifPresent(r -> json.put("replica", r));
    json.put("stream", stream.jsonName());
    trigger.ifPresent(t -> json.put("trigger", t));
    eventId.ifPresent(id -> json.put(LogFields.EVENT_ID, id));
    return json.put("message", message);
  }

  /**
   * The entry {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  static FunctionLogEntry fromJson(JsonObject json) {
    try {
      return new FunctionLogEntry(Instant.parse(json.getString("time")), json.getString("function"),
          Optional.ofNullable(json.getInteger("replica")), Stream.ofJsonName(json.getString("stream")),
          Optional.ofNullable(json.getString("trigger")), Optional.ofNullable(json.getString(LogFields.EVENT_ID)),
          json.getString("message"), Optional.ofNullable(json.getString("host")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a function log entry (time, function, stream and message are needed): "
          + e.getMessage(), e);
    }
  }

  /** What an entry costs the buffer, roughly: its text as Java holds it, the rest counted as a fixed overhead. */
  static int bytes(JsonObject entry) {
    return 160 + 2 * entry.getString("message", "").length();
  }
}
