package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fields that say which delivery or invocation a log line is about: {@value #TRIGGER}, {@value #FUNCTION},
 * {@value #REPLICA}, {@value #EVENT_ID}, {@value #TRACE_ID}, each where known. The log format shows them as
 * {@code key=value} in text and as fields in JSON.
 *
 * <p>Events are handled on event loops, many at once, each continuing in callbacks: a field set on a thread
 * for one event would be read by the next task on that thread. So fnmesh's own lines carry their fields on the
 * line itself ({@link #on}), and the fields are put in the thread's context ({@link #within}) only around a
 * synchronous call, such as a Java function's, and taken off when it returns.
 */
public final class LogFields {

  public static final String TRIGGER = "trigger";
  public static final String FUNCTION = "function";
  public static final String REPLICA = "replica";
  public static final String EVENT_ID = "event_id";
  public static final String TRACE_ID = "trace_id";

  private final Map<String, String> values;

  private LogFields(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** The lines of a function, such as its process's output. */
  public static LogFields function(String function) {
    return new LogFields(new LinkedHashMap<>()).with(FUNCTION, function);
  }

  /** The lines of one call of a function with an event, the event's trace id included when it has one. */
  public static LogFields invocation(String function, CloudEvent event) {
    LogFields fields = function(function).with(EVENT_ID, event.getId());
    return TraceParent.traceId(event).map(trace -> fields.with(TRACE_ID, trace)).orElse(fields);
  }

  /** The lines of one delivery of an event by a trigger to its function. */
  public static LogFields delivery(String trigger, String function, CloudEvent event) {
    LogFields invocation = invocation(function, event);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(TRIGGER, trigger);
    values.putAll(invocation.values);
    return new LogFields(values);
  }

  /** The lines of a trigger, about no event in particular (a record that is no CloudEvent). */
  public static LogFields trigger(String trigger) {
    return new LogFields(new LinkedHashMap<>()).with(TRIGGER, trigger);
  }

  /** The fields the calling thread's context holds now, to carry them to a call on another thread. */
  public static LogFields current() {
    Map<String, String> copy = MDC.getCopyOfContextMap();
    return new LogFields(copy == null ? new LinkedHashMap<>() : new LinkedHashMap<>(copy));
  }

  /** These fields and one more; a null value adds nothing. */
  public LogFields with(String key, Object value) {
    Map<String, String> more = new LinkedHashMap<>(values);
    if (value != null) {
      more.put(key, String.valueOf(value));
    }
    return new LogFields(more);
  }

  public Map<String, String> values() {
    return values;
  }

  /** The line being built, with these fields: {@code LOG.atWarn()} becomes a line of this delivery. */
  public LoggingEventBuilder on(LoggingEventBuilder line) {
    values.forEach(line::addKeyValue);
    return line;
  }

  /**
   * Runs a synchronous call with these fields in the thread's logging context, so the lines it logs carry them,
   * and restores the context as it was when the call returns or throws. Continuations the call leaves behind run
   * later, without them.
   */
  public <T> T within(Supplier<T> call) {
    Map<String, String> before = new LinkedHashMap<>();
    values.keySet().forEach(key -> before.put(key, MDC.get(key)));
    values.forEach(MDC::put);
    try {
      return call.get();
    } finally {
      before.forEach((key, value) -> {
        if (value == null) {
          MDC.remove(key);
        } else {
          MDC.put(key, value);
        }
      });
    }
  }
}
