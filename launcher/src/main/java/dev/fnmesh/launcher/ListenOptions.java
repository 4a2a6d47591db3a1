package dev.fnmesh.launcher;

import dev.fnmesh.access.AccessFileException;
import dev.fnmesh.access.AccessGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The command-line options of a process's HTTP port, shared by up, host and controller. */
final class ListenOptions {

  private static final Logger LOG = LoggerFactory.getLogger(ListenOptions.class);

  @Option(names = "--http-host", paramLabel = "ADDR",
      description = "Address the HTTP port listens on (default: ${DEFAULT-VALUE}, this machine only).")
  String httpHost = HttpAddress.DEFAULT_HOST;

  @Option(names = "--access", paramLabel = "FILE",
      description = "The access file: who may call the HTTP port and what each caller may do."
          + " Needed to listen beyond this machine.")
  Path access;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "Require client certificates signed by this PEM CA (mutual TLS).")
  Path tlsClientCa;

  @Option(names = "--http-idle-timeout", paramLabel = "DURATION",
      description = "Close a connection after this long without a byte in or out (ISO-8601, default: PT60S).")
  Duration idleTimeout = HttpPortSettings.DEFAULT_IDLE_TIMEOUT;

  @Option(names = "--insecure",
      description = "Run without the protections fnmesh insists on: listen on an address the network reaches"
          + " without an access file (anyone reaching the port can change the mesh and run its commands), and run"
          + " a host or controller without a cluster key (anyone who can write Kafka can).")
  boolean insecure;

  /** @return why the port cannot be set up as asked, in words for the user; empty when it can */
  Optional<String> refusal(int port) {
    HttpAddress address;
    try {
      address = new HttpAddress(httpHost, port);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (idleTimeout.isNegative() || idleTimeout.toMillis() < 1) {
      return Optional.of("--http-idle-timeout must be positive, such as PT60S; got " + idleTimeout);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      return Optional.of("--tls-cert and --tls-key go together: give both to serve HTTPS");
    }
    if (tlsClientCa != null && tlsCert == null) {
      return Optional.of("--tls-client-ca needs --tls-cert and --tls-key: client certificates are asked for over TLS");
    }
    if (access != null) {
      try {
        AccessGuard.check(access, System::getenv);
      } catch (AccessFileException e) {
        return Optional.of("--access " + access + ": " + e.getMessage());
      }
    }
    Optional<String> refusal = address.refusal(insecure || access != null);
    if (refusal.isEmpty() && !address.loopback() && access == null) {
      LOG.warn("listening without access control http={} insecure=true: anyone who reaches it can change the mesh"
          + " and run its commands", address.url(port));
    }
    return refusal;
  }

  HttpAddress address(int port) {
    return new HttpAddress(httpHost, port);
  }

  HttpPortSettings settings(int port) {
    return new HttpPortSettings(address(port), Optional.ofNullable(access),
        Optional.ofNullable(tlsCert).map(cert -> new HttpPortSettings.TlsFiles(cert, tlsKey,
            Optional.ofNullable(tlsClientCa))), idleTimeout);
  }
}
