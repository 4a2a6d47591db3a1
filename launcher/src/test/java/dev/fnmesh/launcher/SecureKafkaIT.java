package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster as production runs one: a broker that takes clients only over TLS with SCRAM credentials. fnmesh
 * reaches it through a Kafka client properties file (--kafka-config), the way any Kafka client does.
 */
class SecureKafkaIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "scram-" + System.nanoTime();
  private static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startSecureBroker() throws Exception {
    dir = Files.createTempDirectory("fnmesh-secure-kafka");
    TestCertificates certificates = new TestCertificates();
    TestCertificates.Issued broker = certificates.issue(dir, "broker", "CN=localhost");
    certificates.writeCa(dir);
    // Kafka's PEM key store: the private key and the certificate chain in one file.
    Path keystore = dir.resolve("broker-keystore.pem");
    Files.writeString(keystore, Files.readString(broker.key()) + Files.readString(broker.cert()));
    kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("data"), 0,
        Optional.of(new EmbeddedKafkaConfig.SaslSslListener(keystore, Map.of("fnmesh", PASSWORD)))));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aMeshRunsOverSaslSslWithItsClientPropertiesFile() throws Exception {
    KafkaSettings settings = settingsFrom(clientProperties("fnmesh", PASSWORD));
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: secure-orders, partitions: 2 }
            function: echo
            reply: { topic: secure-replies }
        """);
    MeshOptions options = new MeshOptions(meshFile, HttpPortSettings.loopback(0), 0, Optional.of(settings),
        dir.resolve("mesh-data"), Path.of("../examples/schemas"), Path.of("../functions"),
        dev.fnmesh.broker.IngressSettings.defaults(), Duration.ZERO, Optional.empty(), false);
    try (Mesh mesh = Mesh.start(options)) {
      HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/secure-orders"))
          .header("ce-specversion", "1.0").header("ce-id", "secure-1").header("ce-source", "/secure")
          .header("ce-type", "com.example.order").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}")).build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(202, accepted.statusCode(), accepted.body());
      CloudEvent reply = awaitEvent(settings, "secure-replies");
      assertTrue(new String(reply.getData().toBytes()).contains("\"id\":1"), reply.toString());
    }
  }

  @Test
  void wrongCredentialsFailTheStartWithKafkasReasonInOneLine() throws Exception {
    KafkaSettings wrong = settingsFrom(clientProperties("fnmesh", "not-the-password"));
    Path meshFile = dir.resolve("wrong.yaml");
    Files.writeString(meshFile, "functions:\n  echo: { java: echo }\n");
    MeshOptions options = new MeshOptions(meshFile, HttpPortSettings.loopback(0), 0, Optional.of(wrong),
        dir.resolve("wrong-data"), Path.of("../examples/schemas"), Path.of("../functions"),
        dev.fnmesh.broker.IngressSettings.defaults(), Duration.ZERO, Optional.empty(), false);
    long start = System.nanoTime();

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Mesh.start(options).close());

    assertTrue(refused.getMessage().contains("refused fnmesh's client") && refused.getMessage().contains("SCRAM"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the start must fail, not hang");
  }

  private static Path clientProperties(String user, String password) throws Exception {
    Path file = Files.createTempFile(dir, "client", ".properties");
    Files.writeString(file, """
        bootstrap.servers=%s
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";
        ssl.truststore.type=PEM
        ssl.truststore.location=%s
        """.formatted(kafka.saslSslBootstrapServers().orElseThrow(), user, password, dir.resolve("ca.pem")));
    return file;
  }

  /** The way the CLI reads it: --kafka-config FILE. */
  private static KafkaSettings settingsFrom(Path file) {
    KafkaOptions options = new KafkaOptions();
    options.kafkaConfig = file;
    return options.required();
  }

  private static CloudEvent awaitEvent(KafkaSettings settings, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        settings.consumerConfig("secure-reader", "secure-reader-" + System.nanoTime(), "earliest"))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertFalse(records.isEmpty(), "no reply on " + topic + " within " + WAIT);
      return CloudEventRecords.fromRecord(records.get(0));
    }
  }
}
