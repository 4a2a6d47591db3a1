package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events published over HTTP in each mode reach the echo function and its reply topic intact. */
class PublishOverHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String topic;
  private static String replies;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    topic = KafkaFixture.uniqueTopic("publish");
    replies = topic + ".replies";
    mesh = TestMesh.startEcho(topic, 4, replies);
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void binaryModeEventReachesTheReplyTopicWithEveryAttributeAndItsBytes() {
    byte[] data = new byte[300];
    new Random(7).nextBytes(data);
    String id = UUID.randomUUID().toString();
    HttpResponse<String> response = mesh.send(mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tests/binary")
        .header("ce-type", "dev.fnmesh.test.binary").header("ce-subject", "bytes")
        .header("ce-time", "2026-11-29T10:15:30.123Z").header("ce-dataschema", "https://example.com/s.json")
        .header("ce-tenant", "acme").header("ce-partitionkey", "k-" + id)
        .header("content-type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(data)));

    assertEquals(202, response.statusCode(), response.body());
    CloudEvent reply = TestMesh.readEventWithId(replies, id, WAIT);
    assertEquals(URI.create("/tests/binary"), reply.getSource());
    assertEquals("dev.fnmesh.test.binary", reply.getType());
    assertEquals("bytes", reply.getSubject());
    assertEquals(OffsetDateTime.parse("2026-11-29T10:15:30.123Z").toInstant(), reply.getTime().toInstant());
    assertEquals(URI.create("https://example.com/s.json"), reply.getDataSchema());
    assertEquals("application/octet-stream", reply.getDataContentType());
    assertEquals("acme", reply.getExtension("tenant"));
    assertArrayEquals(data, reply.getData().toBytes());
  }

  @Test
  void theRecordKeyIsThePartitionKeyExtension() {
    String id = UUID.randomUUID().toString();
    mesh.send(binary(id).header("ce-partitionkey", "order-42").POST(HttpRequest.BodyPublishers.ofString("{}")));

    ConsumerRecord<byte[], byte[]> record = TestMesh.readRecordsUntil(topic,
            records -> records.stream().anyMatch(r -> id.equals(TestMesh.idOf(r))), WAIT).stream()
        .filter(r -> id.equals(TestMesh.idOf(r))).findFirst().orElseThrow();
    assertEquals("order-42", new String(record.key(), StandardCharsets.UTF_8));
  }

  @Test
  void structuredModeEventReachesTheReplyTopicIntact() {
    String id = UUID.randomUUID().toString();
    String json = """
        {"specversion":"1.0","id":"%s","source":"/tests/structured","type":"dev.fnmesh.test.structured",
         "subject":"s1","time":"2026-11-29T10:15:30Z","datacontenttype":"application/json",
         "tenant":"acme","priority":3,"data":{"name":"Ece","n":[1,2]}}""".formatted(id);
    HttpResponse<String> response = mesh.send(mesh.request("/topics/" + topic)
        .header("content-type", "application/cloudevents+json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(json)));

    assertEquals(202, response.statusCode(), response.body());
    CloudEvent reply = TestMesh.readEventWithId(replies, id, WAIT);
    assertEquals("dev.fnmesh.test.structured", reply.getType());
    assertEquals("s1", reply.getSubject());
    assertEquals("application/json", reply.getDataContentType());
    assertEquals("acme", reply.getExtension("tenant"));
    assertEquals("3", String.valueOf(reply.getExtension("priority")));
    assertEquals("{\"name\":\"Ece\",\"n\":[1,2]}", new String(reply.getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void structuredBase64DataArrivesByteForByte() {
    byte[] data = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
    CloudEvent event = CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
        .withSource(URI.create("/tests/base64")).withType("t").withData("application/octet-stream", data).build();
    EventFormat format = new JsonFormat();
    HttpResponse<String> response = mesh.send(mesh.request("/topics/" + topic)
        .header("content-type", "application/cloudevents+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(format.serialize(event))));

    assertEquals(202, response.statusCode(), response.body());
    assertArrayEquals(data, TestMesh.readEventWithId(replies, event.getId(), WAIT).getData().toBytes());
  }

  @Test
  void aBatchIsAcceptedAsAWholeAndEveryEventReachesTheReplyTopic() {
    String batchId = UUID.randomUUID().toString();
    String batch = """
        [{"specversion":"1.0","id":"%1$s-1","source":"/tests/batch","type":"t","partitionkey":"b","data":"one"},
         {"specversion":"1.0","id":"%1$s-2","source":"/tests/batch","type":"t","partitionkey":"b","data":"two"},
         {"specversion":"1.0","id":"%1$s-3","source":"/tests/batch","type":"t","partitionkey":"b","data":"three"}]"""
        .formatted(batchId);
    HttpResponse<String> response = mesh.send(mesh.request("/topics/" + topic)
        .header("content-type", "application/cloudevents-batch+json")
        .POST(HttpRequest.BodyPublishers.ofString(batch)));

    assertEquals(202, response.statusCode(), response.body());
    List<String> expected = List.of(batchId + "-1", batchId + "-2", batchId + "-3");
    List<String> ids = TestMesh.readEventsWithIds(replies, expected, WAIT).stream()
        .map(CloudEvent::getId).filter(eventId -> eventId.startsWith(batchId)).toList();
    // One partition key, so one partition: the replies keep the batch's order.
    assertEquals(expected, ids);
  }

  private HttpRequest.Builder binary(String id) {
    return mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tests")
        .header("ce-type", "t").header("content-type", "application/json");
  }
}
