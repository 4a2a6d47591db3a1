package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records another Kafka client wrote, by hand, in each mode of the CloudEvents Kafka protocol binding
 * reach the function, and its replies reach the reply topic. A record that is no CloudEvent does not stop
 * the ones after it.
 */
class KafkaRecordsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String topic;
  private static String replies;
  private static TestMesh mesh;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startMesh() {
    topic = KafkaFixture.uniqueTopic("records");
    replies = topic + ".replies";
    mesh = TestMesh.startEcho(topic, 2, replies);
    producer = new KafkaProducer<>(KafkaFixture.producerConfig());
  }

  @AfterAll
  static void stop() {
    producer.close();
    mesh.close();
  }

  @Test
  void aBinaryModeRecordWrittenByAnotherClientIsHandled() throws Exception {
    String id = UUID.randomUUID().toString();
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "k".getBytes(), "hello".getBytes());
    header(record, "ce_specversion", "1.0");
    header(record, "ce_id", id);
    header(record, "ce_source", "urn:kcat");
    header(record, "ce_type", "dev.fnmesh.test.kafka");
    header(record, "ce_tenant", "acme");
    header(record, "content-type", "text/plain");
    producer.send(record).get();

    CloudEvent reply = TestMesh.readEventWithId(replies, id, WAIT);
    assertEquals(URI.create("urn:kcat"), reply.getSource());
    assertEquals("text/plain", reply.getDataContentType());
    assertEquals("acme", reply.getExtension("tenant"));
    assertArrayEquals("hello".getBytes(), reply.getData().toBytes());
  }

  @Test
  void aStructuredModeRecordWrittenByAnotherClientIsHandled() throws Exception {
    String id = UUID.randomUUID().toString();
    String json = """
        {"specversion":"1.0","id":"%s","source":"urn:structured","type":"dev.fnmesh.test.kafka",
         "datacontenttype":"application/json","data":{"a":1}}""".formatted(id);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, json.getBytes(StandardCharsets.UTF_8));
    header(record, "content-type", "application/cloudevents+json; charset=UTF-8");
    producer.send(record).get();

    CloudEvent reply = TestMesh.readEventWithId(replies, id, WAIT);
    assertEquals(URI.create("urn:structured"), reply.getSource());
    assertEquals("{\"a\":1}", new String(reply.getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aRecordThatIsNoCloudEventIsSkippedAndTheNextOneIsStillHandled() throws Exception {
    producer.send(new ProducerRecord<>(topic, 0, null, "not an event".getBytes())).get();
    String id = UUID.randomUUID().toString();
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, null, "after".getBytes());
    header(record, "ce_specversion", "1.0");
    header(record, "ce_id", id);
    header(record, "ce_source", "urn:after");
    header(record, "ce_type", "t");
    producer.send(record).get();

    assertEquals("urn:after", TestMesh.readEventWithId(replies, id, WAIT).getSource().toString());
  }

  private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
