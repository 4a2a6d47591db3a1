package dev.fnmesh.bench;

import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicIngress;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.admin.Admin;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic server: fnmesh's {@link TopicIngress} alone, wired as the mesh wires it (one HTTP server
 * instance, the shared publisher) but with Kafka client settings the mesh does not expose, e.g. the
 * producer's {@code linger.ms}.
 */
final class IngressOnly implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final HttpServer server;

  /**
   * Creates {@code topic} and waits for its leaders first: the ingress's own create-on-first-use writes the
   * moment the topic exists, which can stall for the producer's delivery timeout (see NewTopicProbe).
   */
  IngressOnly(String bootstrapServers, Map<String, String> overrides, String topic) throws Exception {
    KafkaSettings kafka = new KafkaSettings(bootstrapServers, overrides);
    try (Admin admin = Admin.create(kafka.adminConfig("bench-ingress-only"))) {
      BenchKafka.createTopic(admin, topic, KafkaSource.DEFAULT_PARTITIONS);
    }
    this.publisher = EventPublisher.create(vertx, kafka);
    this.topics = TopicAdmin.create(vertx, kafka);
    Router router = Router.router(vertx);
    DeclaredTopics declared = new DeclaredTopics();
    declared.replace(Map.of(topic, TopicSettings.of(KafkaSource.DEFAULT_PARTITIONS)));
    new TopicIngress(HttpEventDecoder.create(), publisher, topics, declared, IngressSettings.defaults(),
        (eventTopic, event) -> Optional.empty()).mount(router);
    this.server = vertx.createHttpServer().requestHandler(router);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    server.close().eventually(publisher::close).eventually(topics::close)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
