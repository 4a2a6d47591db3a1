package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import picocli.CommandLine.Option;

/** The command-line options of the HTTP ingress, shared by the commands that serve it: up and host. */
final class IngressOptions {

  @Option(names = "--max-body-bytes", description = "Largest accepted HTTP body (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes = IngressSettings.DEFAULT_MAX_BODY_BYTES;

  @Option(names = "--max-batch-events", description = "Most events in one batch request (default: ${DEFAULT-VALUE}).")
  int maxBatchEvents = IngressSettings.DEFAULT_MAX_BATCH_EVENTS;

  IngressSettings settings() {
    return new IngressSettings(maxBodyBytes, true, maxBatchEvents);
  }
}
