package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --tls-cert}/{@code --tls-key} serve HTTPS; {@code --tls-client-ca} requires client certificates. */
@ExtendWith(KafkaFixture.class)
class TlsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestCertificates certificates;
  private static Path dir;
  private static TestCertificates.Issued server;

  @BeforeAll
  static void certificates() throws Exception {
    dir = Files.createTempDirectory("fnmesh-tls");
    certificates = new TestCertificates();
    server = certificates.issue(dir, "server", "CN=localhost");
  }

  @Test
  void aMeshServesHttpsWithItsCertificateAndNoPlainHttp() throws Exception {
    String topic = KafkaFixture.uniqueTopic("tls-orders");
    HttpPortSettings https = new HttpPortSettings(HttpAddress.loopback(0), Optional.empty(),
        Optional.of(new HttpPortSettings.TlsFiles(server.cert(), server.key(), Optional.empty())));
    try (TestMesh mesh = TestMesh.start(meshWith(topic), https)) {
      HttpClient client = client(certificates.context(null));

      HttpResponse<String> accepted = client.send(event(mesh.httpPort(), topic, "tls-1"), HttpResponse.BodyHandlers.ofString());

      assertEquals(202, accepted.statusCode(), accepted.body());
      assertEquals("tls-1", TestMesh.readEventWithId(topic, "tls-1", WAIT).getId());
      HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
      assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
          URI.create("http://localhost:" + mesh.httpPort() + "/healthz")).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void withAClientCaOnlyCertifiedClientsConnectAndASubjectStandsForAClientOfTheAccessFile() throws Exception {
    String topic = KafkaFixture.uniqueTopic("mtls-orders");
    Path ca = certificates.writeCa(dir);
    TestCertificates.Issued shop = certificates.issue(dir, "shop", "CN=shop,O=Acme");
    TestCertificates.Issued stranger = certificates.issue(dir, "stranger", "CN=stranger,O=Acme");
    Path access = dir.resolve("access.yaml");
    Files.writeString(access, """
        clients:
          shop:
            certificateSubject: "CN=shop, O=Acme"
            publish: [%s]
        """.formatted(topic));
    HttpPortSettings mtls = new HttpPortSettings(HttpAddress.loopback(0), Optional.of(access),
        Optional.of(new HttpPortSettings.TlsFiles(server.cert(), server.key(), Optional.of(ca))));
    try (TestMesh mesh = TestMesh.start(meshWith(topic), mtls)) {
      HttpResponse<String> certified = client(certificates.context(shop))
          .send(event(mesh.httpPort(), topic, "mtls-1"), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, certified.statusCode(), certified.body());
      assertEquals("mtls-1", TestMesh.readEventWithId(topic, "mtls-1", WAIT).getId());

      HttpResponse<String> unknown = client(certificates.context(stranger))
          .send(event(mesh.httpPort(), topic, "mtls-2"), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, unknown.statusCode(), unknown.body());

      assertThrows(IOException.class, () -> client(certificates.context(null))
          .send(event(mesh.httpPort(), topic, "mtls-3"), HttpResponse.BodyHandlers.ofString()));
      assertEquals(1, TestMesh.recordCount(topic));
    }
  }

  private static String meshWith(String topic) {
    return """
        functions:
          echo: { java: echo }
        topics:
          %s: { partitions: 1 }
        """.formatted(topic);
  }

  private static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).connectTimeout(WAIT).build();
  }

  private static HttpRequest event(int port, String topic, String id) {
    return HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/topics/" + topic)).timeout(WAIT)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tls")
        .header("ce-type", "com.example.order.created").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
  }
}
