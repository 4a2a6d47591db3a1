package dev.fnmesh.host;

import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.host.impl.filter.FilterCompiler;
import io.cloudevents.CloudEvent;


/** A compiled {@link FilterSpec}: decides, without side effects, whether an event reaches the function. */
@FunctionalInterface
public interface EventFilter {

  EventFilter ACCEPT_ALL = event -> true;

  /** @return true when the event passes; an expression that fails to evaluate counts as false */
  boolean test(CloudEvent event);

  /**
   * Compiles a filter.
   *
   * @throws IllegalArgumentException naming the expression and the problem when a CESQL expression does not parse
   */
  static EventFilter compile(FilterSpec spec) {
    return FilterCompiler.compile(spec);
  }
}
