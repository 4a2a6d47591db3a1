package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Topics a trigger needs are created when missing and used as they are when they exist. */
@ExtendWith(KafkaFixture.class)
class TopicAdminIT {

  private Vertx vertx;
  private TopicAdmin topics;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    topics = TopicAdmin.create(vertx, KafkaSettings.of(KafkaFixture.bootstrapServers()));
  }

  @AfterEach
  void stop() throws Exception {
    topics.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMissingTopicIsCreatedWithThePartitionsAskedFor() throws Exception {
    String topic = KafkaFixture.uniqueTopic("created");
    topics.ensureTopic(topic, 3).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(3, partitions(topic));
  }

  @Test
  void anExistingTopicWithFewerPartitionsIsUsedAsItIs() throws Exception {
    String topic = KafkaFixture.uniqueTopic("existing");
    KafkaFixture.createTopic(topic, 2);
    // Would wait for partitions that do not exist if the requested count were trusted.
    topics.ensureTopic(topic, 8).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(2, partitions(topic));
  }

  private static int partitions(String topic) throws Exception {
    try (Admin admin = Admin.create(KafkaSettings.of(KafkaFixture.bootstrapServers()).adminConfig("topic-admin-it"))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
    }
  }
}
