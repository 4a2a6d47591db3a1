package dev.fnmesh.launcher;

import dev.fnmesh.access.AccessGuard;
import dev.fnmesh.broker.HttpSurface;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Optional;

/**
 * A process's HTTP port: the router of the surfaces it serves, behind the access file's guard when one is
 * given, served over HTTP or HTTPS by one server per core. The guard reads the access file before the port
 * listens, so no request is ever let through unchecked.
 */
final class HttpPort {

  /** How often the access file is checked for changes. */
  static final long ACCESS_WATCH_MS = 1_000;

  private final HttpPortSettings settings;
  private final Optional<AccessGuard> guard;
  private final HttpServers servers;

  /**
   * @param readiness what the probes {@code /healthz}, {@code /readyz} and {@code /livez} answer from
   * @param note added to the 404's list of routes; empty for none
   */
  HttpPort(Vertx vertx, HttpPortSettings settings, Readiness readiness, List<HttpSurface> surfaces, String note) {
    this.settings = settings;
    this.guard = settings.accessFile().map(file -> AccessGuard.create(vertx, file, System::getenv, ACCESS_WATCH_MS));
    this.servers = new HttpServers(vertx, ProcessRouter.build(vertx, readiness, guard, surfaces, note), settings.tls(),
        settings.idleTimeout());
  }

  /** The part of a node that listens on the settings' port. */
  Node.Part part() {
    return part(settings.address().port());
  }

  /** @param port the port to listen on, when the process chose it before (a host advertises it) */
  Node.Part part(int port) {
    return new Node.Part("http",
        () -> guard.map(AccessGuard::start).orElse(Future.succeededFuture())
            .compose(v -> servers.listen(port, settings.address().host())),
        () -> servers.close().eventually(() -> guard.map(AccessGuard::close).orElse(Future.succeededFuture())));
  }

  int port() {
    return servers.port();
  }

  /** The URL people on this machine use, once listening. */
  String url() {
    return settings.url(port());
  }
}
