package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reply Kafka refuses for good stops its partition visibly: {@code GET /api/triggers} shows the trigger
 * {@code stalled} with why and {@code fnmesh_trigger_stalled} is 1, until the reply topic takes the reply.
 */
class StalledTriggerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aReplyTooLargeForItsTopicShowsTheTriggerStalledUntilTheTopicTakesIt() throws Exception {
    String topic = KafkaFixture.uniqueTopic("stalled");
    String replies = topic + ".replies";
    // The reply topic exists before the mesh starts, with a limit of 4 KiB a record.
    createTopic(replies, Map.of("max.message.bytes", "4096"));
    try (TestMesh mesh = TestMesh.startEcho(topic, 1, replies)) {
      byte[] big = new byte[8000];
      Arrays.fill(big, (byte) 'x');
      HttpResponse<String> accepted = mesh.send(mesh.request("/topics/" + topic).header("ce-specversion", "1.0")
          .header("ce-id", "big").header("ce-source", "/tests").header("ce-type", "t")
          .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(big)));
      assertEquals(202, accepted.statusCode(), accepted.body());

      await().atMost(WAIT).until(() -> echo(mesh).getString("state").equals("stalled"));
      String why = echo(mesh).getString("error");
      assertTrue(why.contains("partition " + topic + "-0 stalled at offset 0") && why.contains("RecordTooLargeException"),
          why);
      assertTrue(metrics(mesh).contains("fnmesh_trigger_stalled{trigger=\"echo\"} 1.0\n"), metrics(mesh));

      setTopicConfig(replies, "max.message.bytes", String.valueOf(1024 * 1024));

      assertEquals(8000, TestMesh.readEventWithId(replies, "big", WAIT).getData().toBytes().length);
      await().atMost(WAIT).until(() -> echo(mesh).getString("state").equals("running"));
      assertTrue(metrics(mesh).contains("fnmesh_trigger_stalled{trigger=\"echo\"} 0.0\n"), metrics(mesh));
    }
  }

  private static JsonObject echo(TestMesh mesh) {
    HttpResponse<String> response = mesh.send(mesh.request("/api/triggers").GET());
    return new JsonObject(response.body()).getJsonArray("triggers").stream().map(JsonObject.class::cast)
        .filter(trigger -> trigger.getString("name").equals("echo")).findFirst().orElseThrow();
  }

  private static String metrics(TestMesh mesh) {
    return mesh.send(mesh.request("/metrics").GET()).body();
  }

  private static void createTopic(String name, Map<String, String> configs) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static void setTopicConfig(String topic, String key, String value) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
          AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()));
  }
}
