package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The ingress's fast path for JSON events makes exactly the event the CloudEvents SDK's deserializer makes
 * of a common 1.0 event, and leaves every other event to the SDK.
 */
class StructuredEventsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}",
      "{\"specversion\":\"1.0\",\"id\":\"o-1\",\"source\":\"https://shop.example/orders?x=1\",\"type\":\"t\","
          + "\"datacontenttype\":\"application/json\",\"data\":{\"amount\":120,\"lines\":[1,2]}}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"urn:x\",\"type\":\"t\",\"data\":[true,null,\"ü\"]}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":\"text\"}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"lines/ü\","
          + "\"time\":\"2026-11-29T15:04:05.123+01:00\",\"dataschema\":\"https://schemas.example/o.json\","
          + "\"traceid\":\"abc\",\"partitionkey\":\"c-7\",\"data\":{}}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"subject\":null,\"data\":null}"})
  void makesOfACommonEventWhatTheSdkMakes(String json) throws Exception {
    JsonNode tree = MAPPER.readTree(json);
    CloudEvent sdk = MAPPER.treeToValue(withoutNulls(tree), CloudEvent.class);

    CloudEvent fast = StructuredEvents.fromTree(tree);

    assertNotNull(fast, "a common event takes the fast path");
    assertEquals(sdk, fast);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data_base64\":\"AAE=\"}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"datacontenttype\":\"text/plain\","
          + "\"data\":\"x\"}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"count\":3}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"flag\":true}",
      "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\"}",
      "[1]"})
  void leavesEveryOtherEventToTheSdk(String json) throws Exception {
    assertNull(StructuredEvents.fromTree(MAPPER.readTree(json)));
  }

  private static JsonNode withoutNulls(JsonNode event) {
    ObjectNode copy = ((ObjectNode) event).deepCopy();
    List<String> nulls = new ArrayList<>();
    copy.fieldNames().forEachRemaining(name -> {
      if (copy.get(name).isNull()) {
        nulls.add(name);
      }
    });
    return copy.remove(nulls);
  }
}
