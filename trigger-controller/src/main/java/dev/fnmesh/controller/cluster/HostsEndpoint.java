package dev.fnmesh.controller.cluster;

import dev.fnmesh.broker.HttpSurface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;

/** {@code GET /api/hosts}: the live hosts the controller places replicas on. */
public final class HostsEndpoint implements HttpSurface {

  private final ClusterController controller;

  public HostsEndpoint(ClusterController controller) {
    this.controller = controller;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/hosts").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("hosts", new JsonArray(List.copyOf(controller.hosts()))).toBuffer()));
  }

  @Override
  public String routes() {
    return "GET /api/hosts";
  }
}
