package dev.fnmesh.broker;

import io.cloudevents.CloudEvent;

import java.util.List;

/** The outcome of reading CloudEvents from a request: the events, or the one problem that refused them all. */
public sealed interface DecodedEvents {

  /** Every event of the request, in request order; a batch may hold none. */
  record Accepted(List<CloudEvent> events) implements DecodedEvents {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  /** Nothing of the request is accepted because of this problem. */
  record Refused(EventProblem problem) implements DecodedEvents {}
}
