package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicIngress;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionEndpoint;
import dev.fnmesh.host.TriggerSettings;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.function.BooleanSupplier;

/** Routes more than one kind of fnmesh process serves: the health check, the event routes, a 404 that says what exists. */
final class Routes {

  private Routes() {}

  static void health(Router router, BooleanSupplier ready) {
    router.get("/healthz").handler(ctx -> {
      boolean isReady = ready.getAsBoolean();
      ctx.response().setStatusCode(isReady ? 200 : 503).putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", isReady ? "ready" : "starting").toBuffer());
    });
  }

  /**
   * The routes events come in by: {@code POST /topics/{topic}}, the webhooks and {@code /functions/{name}}.
   *
   * @param ingressPublisher what accepted events are published with
   * @param topicSchemas the data schemas the ingress checks events against
   */
  static void events(Router router, EventPublisher ingressPublisher, TopicAdmin topics, IngressSettings ingress,
      TopicSchemas topicSchemas, WebhookIngress webhooks, FunctionCatalog catalog) {
    new TopicIngress(HttpEventDecoder.create(), ingressPublisher, topics, ingress, topicSchemas::check).mount(router);
    webhooks.mount(router);
    new FunctionEndpoint(catalog, HttpEventDecoder.create(), ingress.maxBodyBytes(), TriggerSettings.DEFAULT_TIMEOUT)
        .mount(router);
  }

  /** @param served the routes this process serves, in words, for the message */
  static void notFound(Router router, String served) {
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", 404).put("field", "path")
            .put("message", "no route " + ctx.request().method() + " " + ctx.request().path() + "; try " + served)
            .toBuffer()));
  }
}
