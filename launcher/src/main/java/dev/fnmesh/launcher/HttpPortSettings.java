package dev.fnmesh.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A process's HTTP port: where it listens, who may call it and whether it speaks TLS.
 *
 * @param address where it listens
 * @param accessFile the access file every request but the health check and webhooks is checked against;
 *     empty to let every request through, which only loopback allows unless asked for
 * @param tls the certificate and key to serve HTTPS with, and the CA of client certificates when required
 * @param idleTimeout how long a connection may stay without a byte in or out before it is closed, so that
 *     slow or silent clients do not hold connections for ever
 */
public record HttpPortSettings(HttpAddress address, Optional<Path> accessFile, Optional<TlsFiles> tls,
    Duration idleTimeout) {

  /** How long a connection may stay idle unless told otherwise. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public HttpPortSettings {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(accessFile, "accessFile");
    Objects.requireNonNull(tls, "tls");
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("the HTTP idle timeout must be positive, got " + idleTimeout);
    }
  }

  /** Where and how, with the default idle timeout. */
  public HttpPortSettings(HttpAddress address, Optional<Path> accessFile, Optional<TlsFiles> tls) {
    this(address, accessFile, tls, DEFAULT_IDLE_TIMEOUT);
  }

  /** Plain HTTP on this machine only, open to every request. */
  public static HttpPortSettings loopback(int port) {
    return new HttpPortSettings(HttpAddress.loopback(port), Optional.empty(), Optional.empty());
  }

  /** The URL people on this machine use. */
  public String url(int actualPort) {
    String url = address.url(actualPort);
    return tls.isPresent() ? "https" + url.substring("http".length()) : url;
  }

  /**
   * PEM files of an HTTPS port.
   *
   * @param certificate the server's certificate chain
   * @param key the server's private key
   * @param clientCa when present, clients must show a certificate this CA signed (mutual TLS)
   */
  public record TlsFiles(Path certificate, Path key, Optional<Path> clientCa) {

    public TlsFiles {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(clientCa, "clientCa");
    }
  }
}
