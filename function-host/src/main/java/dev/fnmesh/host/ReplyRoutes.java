package dev.fnmesh.host;

import dev.fnmesh.mesh.ReplyRoute;
import io.cloudevents.CloudEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A trigger's {@code reply:} compiled: each reply goes to the topic of every route whose filter it passes, a
 * route without filter taking all. With no route, replies are dropped; a reply that no route takes is dropped
 * too, and counted ({@link TriggerStats#unrouted()}).
 */
public final class ReplyRoutes {

  /** No route: replies are dropped. */
  public static final ReplyRoutes NONE = new ReplyRoutes(List.of());

  private record Route(EventFilter filter, String topic) {}

  private final List<Route> routes;
  private final List<String> topics;
  // The common case, one route for every reply, costs no filter call and no list per reply.
  private final List<String> unfiltered;

  private ReplyRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
    this.topics = routes.stream().map(Route::topic).distinct().toList();
    this.unfiltered = routes.size() == 1 && routes.get(0).filter() == EventFilter.ACCEPT_ALL ? topics : null;
  }

  /** Every reply to {@code topic}, or none when empty. */
  public static ReplyRoutes to(Optional<String> topic) {
    return topic.map(t -> new ReplyRoutes(List.of(new Route(EventFilter.ACCEPT_ALL, t)))).orElse(NONE);
  }

  /**
   * Compiles the routes of a trigger's {@code reply:}.
   *
   * @throws IllegalArgumentException naming the expression and the problem when a CESQL filter does not parse
   */
  public static ReplyRoutes compile(List<ReplyRoute> routes) {
    List<Route> compiled = new ArrayList<>(routes.size());
    for (ReplyRoute route : routes) {
      compiled.add(new Route(route.filter().map(EventFilter::compile).orElse(EventFilter.ACCEPT_ALL), route.topic()));
    }
    return new ReplyRoutes(compiled);
  }

  /** Whether replies are dropped, having no route. */
  public boolean isEmpty() {
    return routes.isEmpty();
  }

  /** Every topic a reply may go to, each once, in the order of the routes. */
  public List<String> topics() {
    return topics;
  }

  /** The topics {@code reply} goes to, each once, in the order of the routes; empty when no route takes it. */
  public List<String> topicsFor(CloudEvent reply) {
    if (unfiltered != null) {
      return unfiltered;
    }
    List<String> matched = new ArrayList<>(routes.size());
    for (Route route : routes) {
      if (!matched.contains(route.topic()) && route.filter().test(reply)) {
        matched.add(route.topic());
      }
    }
    return matched;
  }
}
