package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The fields that say which delivery or invocation a log line is about: {@value #TRIGGER}, {@value #FUNCTION},
 * {@value #REPLICA}, {@value #EVENT_ID}, {@value #TRACE_ID}, each where known. The log format shows them as
 * {@code key=value} in text and as fields in JSON.
 *
 * <p>Events are handled on event loops, many at once, each continuing in callbacks: a field set on a thread
 * for one event would be read by the next task on that thread. So fnmesh's own lines carry their fields on the
 * line itself ({@link #on}), and the fields are the thread's call fields ({@link #within}) only around a
 * synchronous call, such as a Java function's, and taken off when it returns. Setting them is one thread-local
 * write per call, on every delivery; only a line actually logged reads them ({@link CallFieldsProvider} hands
 * them to Log4j as context data, as the thread's MDC would be).
 */
public final class LogFields {

  public static final String TRIGGER = "trigger";
  public static final String FUNCTION = "function";
  public static final String REPLICA = "replica";
  public static final String EVENT_ID = "event_id";
  public static final String TRACE_ID = "trace_id";

  private static final String[] NONE = {};
  private static final LogFields EMPTY = new LogFields(NONE, NONE);
  private static final ThreadLocal<LogFields> IN_CALL = new ThreadLocal<>();

  // Keys and values side by side, in the order they were added: built once per delivery on the hot path, so
  // plain arrays rather than maps.
  private final String[] keys;
  private final String[] values;

  private LogFields(String[] keys, String[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** The lines of a function, such as its process's output. */
  public static LogFields function(String function) {
    return new LogFields(NONE, NONE).with(FUNCTION, function);
  }

  /** The lines of one call of a function with an event, the event's trace id included when it has one. */
  public static LogFields invocation(String function, CloudEvent event) {
    return call(null, function, event);
  }

  /** The lines of one delivery of an event by a trigger to its function. */
  public static LogFields delivery(String trigger, String function, CloudEvent event) {
    return call(trigger, function, event);
  }

  private static LogFields call(String trigger, String function, CloudEvent event) {
    String traceId = event.getExtension(TraceParent.EXTENSION) == null ? null : TraceParent.traceId(event).orElse(null);
    int size = (trigger == null ? 0 : 1) + 1 + (event.getId() == null ? 0 : 1) + (traceId == null ? 0 : 1);
    String[] keys = new String[size];
    String[] values = new String[size];
    int i = 0;
    if (trigger != null) {
      keys[i] = TRIGGER;
      values[i++] = trigger;
    }
    keys[i] = FUNCTION;
    values[i++] = function;
    if (event.getId() != null) {
      keys[i] = EVENT_ID;
      values[i++] = event.getId();
    }
    if (traceId != null) {
      keys[i] = TRACE_ID;
      values[i] = traceId;
    }
    return new LogFields(keys, values);
  }

  /** The lines of a trigger, about no event in particular (a record that is no CloudEvent). */
  public static LogFields trigger(String trigger) {
    return new LogFields(NONE, NONE).with(TRIGGER, trigger);
  }

  /** The fields of the call this thread is in now, to carry them to a call on another thread. */
  public static LogFields current() {
    LogFields inCall = IN_CALL.get();
    return inCall == null ? EMPTY : inCall;
  }

  /** These fields and one more; a null value adds nothing. */
  public LogFields with(String key, Object value) {
    if (value == null) {
      return this;
    }
    String[] moreKeys = Arrays.copyOf(keys, keys.length + 1);
    String[] moreValues = Arrays.copyOf(values, values.length + 1);
    moreKeys[keys.length] = key;
    moreValues[values.length] = String.valueOf(value);
    return new LogFields(moreKeys, moreValues);
  }

  /** The fields in the order they were added. */
  public Map<String, String> values() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      map.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** The line being built, with these fields: {@code LOG.atWarn()} becomes a line of this delivery. */
  public LoggingEventBuilder on(LoggingEventBuilder line) {
    for (int i = 0; i < keys.length; i++) {
      line.addKeyValue(keys[i], values[i]);
    }
    return line;
  }

  /** Whether there are no fields. */
  public boolean isEmpty() {
    return keys.length == 0;
  }

  /** Hands each field to {@code sink}, in the order they were added. */
  public void forEach(BiConsumer<String, String> sink) {
    for (int i = 0; i < keys.length; i++) {
      sink.accept(keys[i], values[i]);
    }
  }

  /**
   * Runs a synchronous call with these fields as the thread's call fields, over those of a call it is nested in,
   * so the lines it logs carry them, and restores the fields as they were when the call returns or throws.
   * Continuations the call leaves behind run later, without them.
   */
  public <T> T within(Supplier<T> call) {
    LogFields outer = IN_CALL.get();
    IN_CALL.set(outer == null || outer.isEmpty() ? this : outer.overriddenBy(this));
    try {
      return call.get();
    } finally {
      IN_CALL.set(outer);
    }
  }

  private LogFields overriddenBy(LogFields inner) {
    List<String> mergedKeys = new ArrayList<>();
    List<String> mergedValues = new ArrayList<>();
    List<String> innerKeys = Arrays.asList(inner.keys);
    for (int i = 0; i < keys.length; i++) {
      if (!innerKeys.contains(keys[i])) {
        mergedKeys.add(keys[i]);
        mergedValues.add(values[i]);
      }
    }
    mergedKeys.addAll(innerKeys);
    mergedValues.addAll(Arrays.asList(inner.values));
    return new LogFields(mergedKeys.toArray(NONE), mergedValues.toArray(NONE));
  }
}
