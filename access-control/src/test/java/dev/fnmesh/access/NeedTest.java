package dev.fnmesh.access;

import org.junit.jupiter.api.Test;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NeedTest {

  @Test
  void eachRouteNeedsItsGrant() {
    assertEquals(new Need.Publish("orders"), Need.of(POST, "/topics/orders"));
    assertEquals(new Need.Invoke("greeter"), Need.of(POST, "/functions/greeter"));
    assertEquals(new Need.Invoke("greeter"), Need.of(GET, "/functions/greeter/"));
    assertEquals(new Need.Read(), Need.of(GET, "/api/mesh"));
    assertEquals(new Need.Read(), Need.of(GET, "/api/functions/greeter/logs"));
    assertEquals(new Need.Read(), Need.of(GET, "/metrics"));
    assertEquals(new Need.Admin(), Need.of(PUT, "/api/mesh"));
    assertEquals(new Need.Admin(), Need.of(DELETE, "/API/mesh"));
    assertEquals(new Need.Admin(), Need.of(POST, "/api/triggers/orders/seek"));
    assertEquals(new Need.Admin(), Need.of(POST, "/api/triggers/orders/redrive"));
  }

  @Test
  void theProbesAndWebhooksAreOpenAndAnythingElseNeedsAKnownCaller() {
    assertEquals(new Need.Open(), Need.of(GET, "/healthz"));
    assertEquals(new Need.Open(), Need.of(GET, "/readyz"));
    assertEquals(new Need.Open(), Need.of(GET, "/livez"));
    assertEquals(new Need.Open(), Need.of(POST, "/webhooks/github"));
    assertEquals(new Need.Known(), Need.of(GET, "/topics/orders"));
    assertEquals(new Need.Known(), Need.of(POST, "/topics/orders/extra"));
    assertEquals(new Need.Known(), Need.of(GET, "/"));
    assertEquals(new Need.Known(), Need.of(GET, "/readyz/extra"));
    assertEquals(new Need.Known(), Need.of(PUT, "/metrics"));
  }

  @Test
  void theDashboardsFilesAreOpenButItsDataNeedsTheReadGrant() {
    assertEquals(new Need.Open(), Need.of(GET, "/ui"));
    assertEquals(new Need.Open(), Need.of(GET, "/ui/dashboard.js"));
    assertEquals(new Need.Open(), Need.of(GET, "/ui/dashboard.css"));
    assertEquals(new Need.Read(), Need.of(GET, "/api/stream"));
    assertEquals(new Need.Known(), Need.of(POST, "/ui"));
    assertEquals(new Need.Known(), Need.of(HEAD, "/ui"));
    assertEquals(new Need.Known(), Need.of(GET, "/UI"));
    assertEquals(new Need.Known(), Need.of(GET, "/ui/other.js"));
  }

  @Test
  void grantsAreWordedAsInTheAccessFile() {
    assertEquals("publish:orders", new Need.Publish("orders").grant());
    assertEquals("invoke:greeter", new Need.Invoke("greeter").grant());
    assertEquals("admin", new Need.Admin().grant());
  }
}
