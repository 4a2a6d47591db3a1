package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The trace id of an event's CloudEvents distributed-tracing extension {@code traceparent}, in the W3C Trace
 * Context format {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}. Read only: fnmesh logs the id
 * so that a log line can be found from a trace, and leaves the extension as the event carries it.
 */
public final class TraceParent {

  /** The extension's name (CloudEvents distributed-tracing extension). */
  public static final String EXTENSION = "traceparent";

  // Version ff is invalid; a later version may add fields after the flags, which W3C says to ignore.
  private static final Pattern FORMAT = Pattern.compile(
      "(?!ff)[0-9a-f]{2}-(?<trace>[0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
  private static final String INVALID_TRACE = "0".repeat(32);

  private TraceParent() {}

  /** The trace id, or empty when the event has no {@code traceparent} or one that is not in the W3C format. */
  public static Optional<String> traceId(CloudEvent event) {
    Object value = event.getExtension(EXTENSION);
    if (value == null) {
      return Optional.empty();
    }
    var matcher = FORMAT.matcher(value.toString());
    if (!matcher.matches() || matcher.group("trace").equals(INVALID_TRACE)) {
      return Optional.empty();
    }
    return Optional.of(matcher.group("trace"));
  }
}
