package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import io.cloudevents.CloudEvent;

/** What a webhook request became: one CloudEvent, or the problem that refused it. */
public sealed interface Normalized {

  record Accepted(CloudEvent event) implements Normalized {}

  record Refused(EventProblem problem) implements Normalized {}
}
