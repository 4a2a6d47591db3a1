package dev.fnmesh.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a process's HTTP port listens. Only this machine reaches a loopback address; any other address
 * (a wildcard such as {@code 0.0.0.0}, an interface's address, a name that resolves to one) lets the
 * network reach the mesh API and the functions.
 *
 * @param host the address or name to listen on
 * @param port the port; 0 picks a free one
 */
public record HttpAddress(String host, int port) {

  /** Where fnmesh listens unless told otherwise: this machine only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public HttpAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the HTTP port must be between 0 and 65535, got " + port);
    }
  }

  /** This machine only, on {@code port}. */
  public static HttpAddress loopback(int port) {
    return new HttpAddress(DEFAULT_HOST, port);
  }

  /** Whether only this machine can reach the address. Resolves a name: call it at start, not on an event loop. */
  public boolean loopback() {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Why listening here is refused: an address the network reaches, while no access control guards the mesh
   * API and the functions (anyone reaching it could send a mesh whose commands the hosts then run).
   *
   * @param guarded an access file guards the port, or the user asked to listen there anyway
   * @return the refusal, saying what to change; empty when listening here is allowed
   */
  public Optional<String> refusal(boolean guarded) {
    if (guarded || loopback()) {
      return Optional.empty();
    }
    return Optional.of("--http-host " + host + " lets the network reach this process's HTTP port, where anyone could"
        + " change the mesh and run its commands; pass --access FILE to require credentials (see the README's"
        + " Security section), listen on " + DEFAULT_HOST + " (the default) or a loopback address, or pass"
        + " --insecure to listen on " + host + " without access control");
  }

  /** The URL people on this machine use: {@code localhost} for a loopback or wildcard address. */
  public String url(int actualPort) {
    boolean anyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String shown = anyAddress || loopback() ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + actualPort;
  }
}
