package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.launcher.OtlpReceiver.ReceivedSpan;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh configured the OpenTelemetry way exports, to a real OTLP/HTTP receiver, one trace per event: the
 * request that published it, its write to Kafka, each delivery attempt, and on through its reply to the next
 * trigger. The context travels in the events' traceparent extension and reaches HTTP functions as the
 * traceparent header; a record that is no CloudEvent is handled in a span whose context its dead letter carries
 * as a traceparent record header.
 */
class TracingIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> PROPERTIES = List.of("otel.exporter.otlp.traces.endpoint",
      "otel.exporter.otlp.traces.protocol", "otel.bsp.schedule.delay", "otel.traces.exporter");

  private static OtlpReceiver receiver;
  private static Vertx functionVertx;
  // The traceparent header each request of the HTTP function carried, by the ce-id of its event.
  private static final Map<String, String> functionTraceparents = new ConcurrentHashMap<>();
  private static TestMesh mesh;
  private static String topic;
  private static String hookTopic;

  @BeforeAll
  static void start() {
    receiver = new OtlpReceiver();
    functionVertx = Vertx.vertx();
    HttpServer function = functionVertx.createHttpServer().requestHandler(request -> {
      String traceparent = request.getHeader("traceparent");
      functionTraceparents.put(request.getHeader("ce-id"), traceparent == null ? "none" : traceparent);
      request.response().setStatusCode(204).end();
    }).listen(0, "127.0.0.1").await();
    topic = KafkaFixture.uniqueTopic("traced");
    hookTopic = KafkaFixture.uniqueTopic("traced-hook");
    mesh = startTraced("""
        functions:
          echo: { java: echo }
          hook: { http: "http://127.0.0.1:%d/" }
        triggers:
          first:
            kafka: { topic: %s, partitions: 1 }
            function: echo
            reply: { topic: %s.replies }
          second:
            kafka: { topic: %s.replies }
            function: echo
            reply: { topic: %s.again }
          hooked:
            kafka: { topic: %s }
            function: hook
          ticking:
            cron: { schedule: "@every 1s" }
            function: echo
        """.formatted(function.actualPort(), topic, topic, topic, topic, hookTopic),
        Map.of("otel.traces.exporter", "otlp"));
  }

  /** A mesh whose tracing reads these system properties, as the SDK reads its OTEL_* variables. */
  private static TestMesh startTraced(String yaml, Map<String, String> settings) {
    System.setProperty("otel.exporter.otlp.traces.endpoint", receiver.endpoint());
    System.setProperty("otel.exporter.otlp.traces.protocol", "http/protobuf");
    System.setProperty("otel.bsp.schedule.delay", "50");
    settings.forEach(System::setProperty);
    try {
      return TestMesh.start(yaml);
    } finally {
      PROPERTIES.forEach(System::clearProperty);
    }
  }

  @AfterAll
  static void stop() {
    mesh.close();
    functionVertx.close().await();
    receiver.close();
  }

  @Test
  void oneTraceRunsFromTheRequestThroughTheDeliveryAttemptToTheReplyAndTheNextTrigger() {
    String traceId = randomHex(16);
    String callerSpan = randomHex(8);
    String id = UUID.randomUUID().toString();
    assertEquals(202, mesh.send(event(mesh, "/topics/" + topic, id)
        .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")).statusCode());

    ReceivedSpan server = receiver.await("SERVER of the request", span -> span.traceId().equals(traceId)
        && span.kind().equals("SPAN_KIND_SERVER"), WAIT);
    assertEquals(callerSpan, server.parentSpanId(), "the request's traceparent is continued");
    assertEquals("POST /topics/{topic}", server.name());
    assertEquals("202", server.attribute("http.response.status_code"));
    assertEquals("fnmesh-up", server.service(), "the default service name of fnmesh up");

    ReceivedSpan producer = receiver.await("PRODUCER of the event", span -> span.traceId().equals(traceId)
        && span.kind().equals("SPAN_KIND_PRODUCER"), WAIT);
    assertEquals(server.spanId(), producer.parentSpanId());
    assertEquals(topic, producer.attribute("messaging.destination.name"));
    assertEquals(id, producer.attribute("cloudevents.event_id"));

    ReceivedSpan attempt = receiver.await("CONSUMER of trigger first", span -> span.traceId().equals(traceId)
        && "first".equals(span.attribute("fnmesh.trigger")), WAIT);
    assertEquals("SPAN_KIND_CONSUMER", attempt.kind());
    assertEquals(producer.spanId(), attempt.parentSpanId(), "the attempt continues the event's extension");
    assertEquals("process " + topic, attempt.name());
    assertEquals(topic, attempt.attribute("messaging.destination.name"));
    assertEquals("0", attempt.attribute("messaging.destination.partition.id"));
    assertNotNull(attempt.attribute("messaging.kafka.offset"));
    assertEquals(id, attempt.attribute("cloudevents.event_id"));
    assertEquals("echo", attempt.attribute("fnmesh.function"));
    assertEquals("1", attempt.attribute("fnmesh.attempt"));
    assertEquals("succeeded", attempt.attribute("fnmesh.outcome"));

    ConsumerRecord<byte[], byte[]> reply = recordWithId(topic + ".replies", id);
    assertEquals("00-" + traceId + "-" + attempt.spanId() + "-01", header(reply, "ce_traceparent"),
        "the reply record carries the context of the delivery attempt");

    ReceivedSpan next = receiver.await("CONSUMER of trigger second", span -> span.traceId().equals(traceId)
        && "second".equals(span.attribute("fnmesh.trigger")), WAIT);
    assertEquals(attempt.spanId(), next.parentSpanId(), "the reply's trigger continues the same trace");
    assertTrue(receiver.refused().isEmpty(), () -> "refused exports: " + receiver.refused());
  }

  @Test
  void eachEventOfABatchIsCreatedInASpanOfItsOwnThatItsDeliveryContinues() {
    String traceId = randomHex(16);
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    String batch = "[" + structured(first) + "," + structured(second) + "]";
    assertEquals(202, mesh.send(mesh.request("/topics/" + topic)
        .header("content-type", "application/cloudevents-batch+json")
        .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
        .POST(HttpRequest.BodyPublishers.ofString(batch))).statusCode());

    ReceivedSpan server = receiver.await("SERVER of the batch", span -> span.traceId().equals(traceId)
        && span.kind().equals("SPAN_KIND_SERVER"), WAIT);
    for (String id : List.of(first, second)) {
      ReceivedSpan created = receiver.await("PRODUCER of " + id, span -> span.kind().equals("SPAN_KIND_PRODUCER")
          && id.equals(span.attribute("cloudevents.event_id")), WAIT);
      assertEquals("create " + topic, created.name());
      assertEquals(server.spanId(), created.parentSpanId());
      ReceivedSpan attempt = receiver.await("CONSUMER of " + id, span -> span.kind().equals("SPAN_KIND_CONSUMER")
          && "first".equals(span.attribute("fnmesh.trigger")) && id.equals(span.attribute("cloudevents.event_id")),
          WAIT);
      assertEquals(created.spanId(), attempt.parentSpanId(), "each event continues its own creation span");
    }
  }

  @Test
  void aRecordThatIsNoCloudEventIsHandledInASpanWhoseContextItsDeadLetterCarries() throws Exception {
    String traceId = randomHex(16);
    String callerSpan = randomHex(8);
    String traced = "traced-" + UUID.randomUUID();
    String untraced = "untraced-" + UUID.randomUUID();
    write(topic, traced, new RecordHeader("traceparent", ("00-" + traceId + "-" + callerSpan + "-01")
        .getBytes(StandardCharsets.UTF_8)), new RecordHeader("x-origin", "kcat".getBytes(StandardCharsets.UTF_8)));
    write(topic, untraced);

    ReceivedSpan handled = receiver.await("CONSUMER of the record", span -> span.traceId().equals(traceId)
        && span.kind().equals("SPAN_KIND_CONSUMER"), WAIT);
    assertEquals(callerSpan, handled.parentSpanId(), "the record's traceparent header is continued");
    assertEquals("process " + topic, handled.name());
    assertEquals("first", handled.attribute("fnmesh.trigger"));
    assertEquals("dead-lettered", handled.attribute("fnmesh.outcome"));
    ConsumerRecord<byte[], byte[]> letter = recordWithValue("fnmesh.first.dlq", traced);
    assertEquals("00-" + traceId + "-" + handled.spanId() + "-01", header(letter, "traceparent"),
        "the dead letter carries the context of the record's handling");
    assertEquals("kcat", header(letter, "x-origin"), "the record's own headers stay");
    assertEquals("not-a-cloudevent", header(letter, "fnmesh_errorcode"));

    String rooted = header(recordWithValue("fnmesh.first.dlq", untraced), "traceparent");
    assertNotNull(rooted, "a record without traceparent starts a trace");
    ReceivedSpan root = receiver.await("CONSUMER of the record without traceparent", span -> rooted.startsWith(
        "00-" + span.traceId() + "-" + span.spanId() + "-"), WAIT);
    assertEquals("", root.parentSpanId(), "its handling is the root of its trace");
  }

  private static void write(String to, String value, Header... headers) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      producer.send(new ProducerRecord<>(to, (Integer) null, (byte[]) null, value.getBytes(StandardCharsets.UTF_8),
          List.of(headers)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static ConsumerRecord<byte[], byte[]> recordWithValue(String topic, String value) {
    return TestMesh.readRecordsUntil(topic, records -> records.stream().anyMatch(r -> value.equals(text(r))), WAIT)
        .stream().filter(r -> value.equals(text(r))).findFirst()
        .orElseThrow(() -> new AssertionError("no record " + value + " on " + topic));
  }

  private static String text(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
  }

  private static String structured(String id) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:tracing-test\","
        + "\"type\":\"dev.fnmesh.test.traced\",\"datacontenttype\":\"text/plain\",\"data\":\"hello\"}";
  }

  @Test
  void aCronTickStartsATraceOfItsOwnThatItsTriggerContinues() {
    ReceivedSpan tick = receiver.await("PRODUCER of a tick", span -> span.kind().equals("SPAN_KIND_PRODUCER")
        && "ticking".equals(span.attribute("fnmesh.trigger")), WAIT);
    assertEquals("", tick.parentSpanId(), "a tick is the root of its trace");
    ReceivedSpan attempt = receiver.await("CONSUMER of the tick", span -> span.kind().equals("SPAN_KIND_CONSUMER")
        && span.traceId().equals(tick.traceId()), WAIT);
    assertEquals(tick.spanId(), attempt.parentSpanId());
    assertEquals("ticking", attempt.attribute("fnmesh.trigger"));
  }

  @Test
  void anHttpFunctionReceivesTheTraceparentOfItsDeliveryAttempt() {
    String id = UUID.randomUUID().toString();
    assertEquals(202, mesh.send(event(mesh, "/topics/" + hookTopic, id)).statusCode());

    String received = await("the function's request").atMost(WAIT).until(() -> functionTraceparents.get(id),
        value -> value != null);
    ReceivedSpan attempt = receiver.await("CONSUMER of trigger hooked", span -> id.equals(
        span.attribute("cloudevents.event_id")) && span.kind().equals("SPAN_KIND_CONSUMER"), WAIT);
    // The trace flags may say more than 'sampled' (the 'random trace id' flag of a trace started here).
    assertTrue(received.startsWith("00-" + attempt.traceId() + "-" + attempt.spanId() + "-"), received);
    ReceivedSpan server = receiver.await("SERVER of the request", span -> span.traceId().equals(attempt.traceId())
        && span.kind().equals("SPAN_KIND_SERVER"), WAIT);
    assertEquals("", server.parentSpanId(), "a request without traceparent starts its trace at the ingress");
  }

  @Test
  void withTheTracesExporterNoneNothingIsExportedAndEventsCarryOnlyTheirOwnTraceparent() throws Exception {
    String untracedTopic = KafkaFixture.uniqueTopic("untraced");
    String headerOnly = UUID.randomUUID().toString();
    String ownExtension = UUID.randomUUID().toString();
    String traceId = randomHex(16);
    String extension = "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    // The receiver is named as the endpoint: only the exporter setting keeps the mesh from exporting to it.
    try (TestMesh untraced = startTraced("""
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: %s }
            function: echo
            reply: { topic: %s.replies }
        """.formatted(untracedTopic, untracedTopic), Map.of("otel.traces.exporter", "none"))) {
      assertEquals(202, untraced.send(event(untraced, "/topics/" + untracedTopic, headerOnly)
          .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")).statusCode());
      assertEquals(202, untraced.send(event(untraced, "/topics/" + untracedTopic, ownExtension)
          .header("ce-traceparent", extension)).statusCode());

      assertNull(header(recordWithId(untracedTopic + ".replies", headerOnly), "ce_traceparent"),
          "no traceparent is added to an event");
      assertEquals(extension, header(recordWithId(untracedTopic + ".replies", ownExtension), "ce_traceparent"),
          "an event's own traceparent travels on unchanged");
      String raw = "raw-" + UUID.randomUUID();
      write(untracedTopic, raw);
      assertNull(header(recordWithValue("fnmesh.echo.dlq", raw), "traceparent"),
          "no traceparent is added to the dead letter of a record that is no CloudEvent");
    }
    // Closed, the mesh flushed whatever it had to export.
    assertTrue(receiver.spans().stream().noneMatch(span -> span.traceId().equals(traceId)
        || headerOnly.equals(span.attribute("cloudevents.event_id"))
        || ownExtension.equals(span.attribute("cloudevents.event_id"))), () -> "exported: " + receiver.spans());
  }

  private static HttpRequest.Builder event(TestMesh to, String path, String id) {
    return to.request(path).header("ce-specversion", "1.0").header("ce-id", id)
        .header("ce-source", "urn:tracing-test").header("ce-type", "dev.fnmesh.test.traced")
        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello"));
  }

  private static ConsumerRecord<byte[], byte[]> recordWithId(String topic, String id) {
    return TestMesh.readRecordsUntil(topic, records -> records.stream().anyMatch(r -> id.equals(TestMesh.idOf(r))),
        WAIT).stream().filter(r -> id.equals(TestMesh.idOf(r))).findFirst()
        .orElseThrow(() -> new AssertionError("no record with id " + id + " on " + topic));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
