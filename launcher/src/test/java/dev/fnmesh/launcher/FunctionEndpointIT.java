package dev.fnmesh.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Functions called synchronously over HTTP: plain requests are wrapped, CloudEvents are passed as they are. */
class FunctionEndpointIT {

  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    mesh = TestMesh.start("""
        functions:
          greeter: { java: greeter }
          echo: { java: dev.fnmesh.examples.Echo }
          fail: { java: fail }
          sleep: { java: sleep }
          split: { java: split }
        """);
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void greeterGreetsByTheNameInTheQuery() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/greeter?name=Ece").GET());

    assertEquals(200, response.statusCode());
    assertEquals("Ece, Hello Serverless World!", response.body());
    assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());
    assertEquals("1.0", response.headers().firstValue("ce-specversion").orElseThrow());
  }

  @Test
  void aFunctionAnsweringSeveralEventsIsAnsweredAsACloudEventsBatchAndOneAnsweringNoneWith204() {
    HttpResponse<String> several = mesh.send(mesh.request("/functions/split")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"sku\":1},{\"sku\":2}]}")));
    HttpResponse<String> none = mesh.send(mesh.request("/functions/split")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"items\":[]}")));

    assertEquals(200, several.statusCode());
    assertEquals("application/cloudevents-batch+json", several.headers().firstValue("content-type").orElseThrow());
    JsonArray batch = new JsonArray(several.body());
    assertEquals(3, batch.size(), several.body());
    assertEquals(new JsonObject().put("sku", 2), batch.getJsonObject(1).getJsonObject("data"));
    assertEquals("dev.fnmesh.examples.summary", batch.getJsonObject(2).getString("type"));
    assertEquals(204, none.statusCode());
  }

  @Test
  void greeterWithoutANameGreetsTheWorld() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/greeter").GET());

    assertEquals(200, response.statusCode());
    assertEquals("Hello Serverless World!", response.body());
  }

  @Test
  void greeterTakesTheNameFromJsonData() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/greeter")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}")));

    assertEquals("Ada, Hello Serverless World!", response.body());
  }

  @Test
  void aCloudEventRequestIsPassedAsItIs() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/echo")
        .header("ce-specversion", "1.0").header("ce-id", "e-1").header("ce-source", "/caller")
        .header("ce-type", "dev.fnmesh.test.echo").header("ce-tenant", "acme").header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("same bytes")));

    assertEquals(200, response.statusCode());
    assertEquals("e-1", response.headers().firstValue("ce-id").orElseThrow());
    assertEquals("/caller", response.headers().firstValue("ce-source").orElseThrow());
    assertEquals("acme", response.headers().firstValue("ce-tenant").orElseThrow());
    assertEquals("same bytes", response.body());
  }

  @Test
  void headerValuesArePercentDecodedOnTheWayInAndEncodedOnTheWayOut() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/echo")
        .header("ce-specversion", "1.0").header("ce-id", "e-2").header("ce-source", "/caller")
        .header("ce-type", "t").header("ce-subject", "Caf%C3%A9 au%20lait")
        .POST(HttpRequest.BodyPublishers.ofString("")));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("Caf%C3%A9%20au%20lait", response.headers().firstValue("ce-subject").orElseThrow());
  }

  @Test
  void anInvalidCloudEventRequestIsRefusedNamingTheAttribute() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/echo")
        .header("ce-specversion", "1.0").header("ce-source", "/caller").header("ce-type", "t")
        .POST(HttpRequest.BodyPublishers.ofString("x")));

    assertEquals(400, response.statusCode());
    assertEquals("id", new JsonObject(response.body()).getString("field"));
  }

  @Test
  void anUnknownFunctionIsNotFound() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/nobody").GET());

    assertEquals(404, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("function", body.getString("field"));
    assertTrue(body.getString("message").contains("nobody"), body.encode());
  }

  @Test
  void aFailingFunctionAnswersBadGatewayWithItsMessage() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/fail").GET());

    assertEquals(502, response.statusCode());
    assertTrue(new JsonObject(response.body()).getString("message").contains("fails every event"), response.body());
  }

  @Test
  void aSlowFunctionAnswersWithoutBlockingOthers() {
    HttpResponse<String> response = mesh.send(mesh.request("/functions/sleep")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"ms\":200}")));

    assertEquals(200, response.statusCode());
    assertEquals("{\"ms\":200}", response.body());
  }
}
