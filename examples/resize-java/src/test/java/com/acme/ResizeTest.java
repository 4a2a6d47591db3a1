package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Dimensions shrink to fit the square, keeping their aspect ratio; bad requests fail permanently. */
class ResizeTest {

  // Resize never touches the Vert.x instance of its context.
  private final FunctionContext context = new FunctionContext(null, "resize", Map.of());

  private CloudEvent resize(String data) {
    CloudEvent event = CloudEventBuilder.v1().withId("img-1").withSource(URI.create("/test")).withType("t")
        .withData("application/json", data.getBytes(StandardCharsets.UTF_8)).build();
    return new Resize().apply(event, context).result();
  }

  private JsonObject sizeOf(String data) {
    return new JsonObject(new String(resize(data).getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void shrinksALandscapeImageToTheMaximumWidth() {
    assertEquals(new JsonObject().put("width", 400).put("height", 225),
        sizeOf("{\"width\":1600,\"height\":900,\"max\":400}"));
  }

  @Test
  void shrinksAPortraitImageToTheMaximumHeight() {
    assertEquals(new JsonObject().put("width", 67).put("height", 100),
        sizeOf("{\"width\":1000,\"height\":1500,\"max\":100}"));
  }

  @Test
  void leavesAnImageThatAlreadyFitsAsItIs() {
    assertEquals(new JsonObject().put("width", 300).put("height", 200),
        sizeOf("{\"width\":300,\"height\":200,\"max\":400}"));
  }

  @Test
  void answersWithAJsonReplyAboutTheEvent() {
    CloudEvent reply = resize("{\"width\":10,\"height\":10,\"max\":5}");

    assertEquals("img-1", reply.getSubject());
    assertEquals(Resize.TYPE, reply.getType());
    assertEquals(URI.create("/functions/resize"), reply.getSource());
    assertEquals("application/json", reply.getDataContentType());
  }

  @Test
  void failsPermanentlyNamingTheFieldThatIsNoPositiveInteger() {
    PermanentFailure failure = assertThrows(PermanentFailure.class,
        () -> resize("{\"width\":-3,\"height\":10,\"max\":5}"));

    assertEquals("data.width: must be a positive integer, got -3", failure.getMessage());
  }

  @Test
  void failsPermanentlyOnDataThatIsNoJsonObject() {
    PermanentFailure failure = assertThrows(PermanentFailure.class, () -> resize("[1,2]"));

    assertEquals("data: must be a JSON object such as {\"width\":1600,\"height\":900,\"max\":400}, got [1,2]",
        failure.getMessage());
  }
}
