package dev.fnmesh.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.util.Optional;

/** The command-line options that say where a process's HTTP port listens, shared by up, host and controller. */
final class ListenOptions {

  private static final Logger LOG = LoggerFactory.getLogger(ListenOptions.class);

  @Option(names = "--http-host", paramLabel = "ADDR",
      description = "Address the HTTP port listens on (default: ${DEFAULT-VALUE}, this machine only).")
  String httpHost = HttpAddress.DEFAULT_HOST;

  @Option(names = "--insecure",
      description = "Listen on an address the network reaches without access control: anyone reaching the port"
          + " can change the mesh and run its commands.")
  boolean insecure;

  /** @return where to listen on {@code port}, or why not, in words for the user */
  Optional<String> refusal(int port) {
    HttpAddress address;
    try {
      address = new HttpAddress(httpHost, port);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    Optional<String> refusal = address.refusal(insecure);
    if (refusal.isEmpty() && !address.loopback()) {
      LOG.warn("listening without access control http={} insecure=true: anyone who reaches it can change the mesh"
          + " and run its commands", address.url(port));
    }
    return refusal;
  }

  HttpAddress address(int port) {
    return new HttpAddress(httpHost, port);
  }
}
