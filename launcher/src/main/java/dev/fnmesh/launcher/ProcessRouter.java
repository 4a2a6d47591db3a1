package dev.fnmesh.launcher;

import dev.fnmesh.access.AccessGuard;
import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicIngress;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionEndpoint;
import dev.fnmesh.host.TriggerSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one router of an fnmesh process, built from the surfaces it serves: whatever applies to every request
 * is added here, once. It ends with a 404 that names the routes the process serves.
 */
final class ProcessRouter {

  private ProcessRouter() {}

  /**
   * @param readiness what the probes {@code /healthz}, {@code /readyz} and {@code /livez} answer from
   * @param guard checks every request before any route when present
   * @param surfaces what the process serves, in the order the 404 names them
   * @param note added to the 404's list of routes; empty for none
   */
  static Router build(Vertx vertx, Readiness readiness, Optional<AccessGuard> guard, List<HttpSurface> surfaces,
      String note) {
    Router router = Router.router(vertx);
    // First, so that a refused request reaches no route, the 404 included: it would list what exists.
    guard.ifPresent(check -> router.route().handler(check));
    List<HttpSurface> all = new ArrayList<>(surfaces);
    all.add(new HealthEndpoints(readiness));
    all.forEach(surface -> surface.mount(router));
    String served = served(all) + note;
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", 404).put("field", "path")
            .put("message", "no route " + ctx.request().method() + " " + ctx.request().path() + "; try " + served)
            .toBuffer()));
    return router;
  }

  /**
   * The surfaces events come in by: {@code POST /topics/{topic}}, the webhooks and {@code /functions/{name}}.
   *
   * @param ingressPublisher what accepted events are published with
   * @param declaredTopics the topics the ingress publishes to
   * @param topicSchemas the data schemas the ingress checks events against
   */
  static List<HttpSurface> events(EventPublisher ingressPublisher, TopicAdmin topics, IngressSettings ingress,
      DeclaredTopics declaredTopics, TopicSchemas topicSchemas, WebhookIngress webhooks, FunctionCatalog catalog,
      Tracing tracing) {
    return List.of(
        new TopicIngress(HttpEventDecoder.create(), ingressPublisher, topics, declaredTopics, ingress,
            topicSchemas::check, tracing),
        webhooks,
        new FunctionEndpoint(catalog, HttpEventDecoder.create(), ingress.maxBodyBytes(), TriggerSettings.DEFAULT_TIMEOUT,
            tracing));
  }

  /** {@code a, b or c}. */
  private static String served(List<HttpSurface> surfaces) {
    List<String> routes = surfaces.stream().map(HttpSurface::routes).toList();
    return String.join(", ", routes.subList(0, routes.size() - 1)) + " or " + routes.get(routes.size() - 1);
  }
}
