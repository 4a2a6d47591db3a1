package dev.fnmesh.access;

import io.vertx.core.http.HttpMethod;

import java.util.Locale;
import java.util.Set;

/**
 * What a request needs of its caller, decided from its method and path alone, before any route runs: so a
 * refused request reaches no handler and changes nothing.
 */
public sealed interface Need {

  /** The grant in the words of the access file and of a JWT's scope, such as {@code publish:orders}. */
  String grant();

  /**
   * Anyone: the probes ({@code /healthz}, {@code /readyz}, {@code /livez}), webhooks, which check their
   * own signatures, and the dashboard's page, which holds no data.
   */
  record Open() implements Need {
    @Override
    public String grant() {
      return "";
    }
  }

  /** Any known caller: a path no route serves, which then answers 404. */
  record Known() implements Need {
    @Override
    public String grant() {
      return "";
    }
  }

  /** {@code POST /topics/{topic}}. */
  record Publish(String topic) implements Need {
    @Override
    public String grant() {
      return "publish:" + topic;
    }
  }

  /** {@code /functions/{name}}. */
  record Invoke(String function) implements Need {
    @Override
    public String grant() {
      return "invoke:" + function;
    }
  }

  /** {@code GET /api/*} and {@code GET /metrics}. */
  record Read() implements Need {
    @Override
    public String grant() {
      return "read";
    }
  }

  /** Anything else under {@code /api/}, such as {@code PUT /api/mesh}. */
  record Admin() implements Need {
    @Override
    public String grant() {
      return "admin";
    }
  }

  /** What a platform's health checks call, without credentials. */
  Set<String> PROBES = Set.of("/healthz", "/readyz", "/livez");

  /**
   * The dashboard's page, script and style sheet: files that are the same for everyone and hold no data, so
   * that a browser, which cannot send a bearer token when it opens a page, can load them. What they show
   * comes from {@code GET /api/stream}, which needs the read grant like the rest of {@code /api/}. Matched
   * exactly, case included, so that no other path is opened by accident.
   */
  Set<String> DASHBOARD_FILES = Set.of("/ui", "/ui/dashboard.js", "/ui/dashboard.css");

  /**
   * @param path the normalized path: Vert.x decodes the percent-encoded characters a topic or function name
   *     may hold before routing, so this sees the name the route will see
   */
  static Need of(HttpMethod method, String path) {
    // Prefixes compared without case, in case a route matches that way: a request never needs less than its route.
    String lower = path.toLowerCase(Locale.ROOT);
    if (PROBES.contains(lower) || lower.startsWith("/webhooks/")) {
      return new Open();
    }
    boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
    // GET only: HEAD has no route there, and the 404 it would reach lists the routes.
    if (method == HttpMethod.GET && DASHBOARD_FILES.contains(path)) {
      return new Open();
    }
    if (lower.equals("/metrics") && reading) {
      return new Read();
    }
    if (lower.startsWith("/api/") || lower.equals("/api")) {
      return reading ? new Read() : new Admin();
    }
    String topic = segmentAfter(path, "/topics/");
    if (topic != null && method == HttpMethod.POST) {
      return new Publish(topic);
    }
    String function = segmentAfter(path, "/functions/");
    if (function != null) {
      return new Invoke(function);
    }
    return new Known();
  }

  /** The one path segment after the prefix, or null when the path is not the prefix and one segment. */
  private static String segmentAfter(String path, String prefix) {
    if (!path.toLowerCase(Locale.ROOT).startsWith(prefix)) {
      return null;
    }
    String segment = path.substring(prefix.length());
    if (segment.endsWith("/")) {
      segment = segment.substring(0, segment.length() - 1);
    }
    return segment.isEmpty() || segment.indexOf('/') >= 0 ? null : segment;
  }
}
