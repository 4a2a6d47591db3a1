package dev.fnmesh.launcher.operator;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TailCommandTest {

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void showsJsonDataAsJson() {
    JsonObject event = new JsonObject().put("data", new JsonObject().put("name", "Ada"));

    assertEquals("{\"name\":\"Ada\"}", TailCommand.shownData(event));
  }

  @Test
  void showsTextCarriedAsBase64AsTheText() {
    JsonObject event = new JsonObject().put("datacontenttype", "text/plain; charset=utf-8")
        .put("data_base64", base64("Hello, Ada!".getBytes(StandardCharsets.UTF_8)));

    assertEquals("Hello, Ada!", TailCommand.shownData(event));
  }

  @Test
  void showsBytesThatAreNotTextAsBase64() {
    String garbage = base64(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
    JsonObject untyped = new JsonObject().put("data_base64", garbage);
    JsonObject image = new JsonObject().put("datacontenttype", "image/png")
        .put("data_base64", base64("PNG".getBytes(StandardCharsets.UTF_8)));

    assertEquals(garbage, TailCommand.shownData(untyped));
    assertEquals(base64("PNG".getBytes(StandardCharsets.UTF_8)), TailCommand.shownData(image));
  }
}
