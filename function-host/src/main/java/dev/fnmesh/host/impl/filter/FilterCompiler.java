package dev.fnmesh.host.impl.filter;

import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.CesqlExpressions;
import dev.fnmesh.mesh.FilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.Result;
import io.cloudevents.types.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Turns a {@link FilterSpec} into an {@link EventFilter} once, so that testing an event does no parsing: the
 * dialects of the CloudEvents Subscriptions API as Knative Triggers use them (exact, prefix, suffix, all, any,
 * not) and CloudEvents SQL v1 through the SDK's parser.
 */
public final class FilterCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(FilterCompiler.class);

  private FilterCompiler() {}

  /**
   * Compiles a filter; the result is immutable and safe to share between threads.
   *
   * @throws IllegalArgumentException naming the expression and the problem when a CESQL expression does not parse
   */
  public static EventFilter compile(FilterSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec instanceof FilterSpec.Exact exact) {
      return attributes(exact.attributes(), String::equals);
    }
    if (spec instanceof FilterSpec.Prefix prefix) {
      return attributes(prefix.attributes(), String::startsWith);
    }
    if (spec instanceof FilterSpec.Suffix suffix) {
      return attributes(suffix.attributes(), String::endsWith);
    }
    if (spec instanceof FilterSpec.All all) {
      List<EventFilter> filters = compileAll(all.filters());
      return event -> filters.stream().allMatch(filter -> filter.test(event));
    }
    if (spec instanceof FilterSpec.Any any) {
      List<EventFilter> filters = compileAll(any.filters());
      return event -> filters.stream().anyMatch(filter -> filter.test(event));
    }
    if (spec instanceof FilterSpec.Not not) {
      EventFilter filter = compile(not.filter());
      return event -> !filter.test(event);
    }
    if (spec instanceof FilterSpec.Sql sql) {
      return sql(sql.expression());
    }
    throw new IllegalArgumentException("unknown filter kind " + spec.getClass().getName());
  }

  /**
   * The string form of an attribute as the CloudEvents type system writes it, or null when the event lacks it.
   * Context attributes are read by name; any other name is an extension.
   */
  static String attribute(CloudEvent event, String name) {
    Object value = switch (name) {
      case "id" -> event.getId();
      case "source" -> event.getSource();
      case "type" -> event.getType();
      case "specversion" -> event.getSpecVersion().toString();
      case "subject" -> event.getSubject();
      case "time" -> event.getTime();
      case "datacontenttype" -> event.getDataContentType();
      case "dataschema" -> event.getDataSchema();
      default -> event.getExtension(name);
    };
    return value == null ? null : canonical(value);
  }

  private static String canonical(Object value) {
    // Canonical string encodings of the CloudEvents type system: Timestamp as RFC 3339, Binary as Base64.
    if (value instanceof OffsetDateTime time) {
      return Time.writeTime(time);
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof URI uri) {
      return uri.toString();
    }
    return String.valueOf(value);
  }

  private static EventFilter attributes(Map<String, String> expected, BiPredicate<String, String> match) {
    return event -> expected.entrySet().stream().allMatch(entry -> {
      String actual = attribute(event, entry.getKey());
      return actual != null && match.test(actual, entry.getValue());
    });
  }

  private static List<EventFilter> compileAll(List<FilterSpec> specs) {
    return specs.stream().map(FilterCompiler::compile).toList();
  }

  private static EventFilter sql(String text) {
    Expression expression = CesqlExpressions.parse(text);
    return event -> {
      Result result;
      try {
        result = expression.evaluate(event);
      } catch (RuntimeException e) {
        // The SDK 4.0.1 throws for some errors instead of reporting them, such as an attribute of the other
        // spec version (dataschema of a 0.3 event): an evaluation error all the same, so no match.
        LOG.debug("event=filtered-out id={} expression=\"{}\" error=\"{}\"", event.getId(), text, e.toString());
        return false;
      }
      if (result.isFailed()) {
        // Spec: an evaluation error (missing attribute, bad cast, ...) means the event does not match.
        LOG.debug("event=filtered-out id={} expression=\"{}\" errors=\"{}\"",
            event.getId(), text, result.causes());
        return false;
      }
      return Boolean.TRUE.equals(result.value());
    };
  }
}
