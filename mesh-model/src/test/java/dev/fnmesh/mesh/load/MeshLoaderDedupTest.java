package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.DedupSettings;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.WebhookSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** dedup: on a topic of topics:, a kafka trigger's source and a webhook; read, left out, and refused when bad. */
class MeshLoaderDedupTest {

  private static final String DURATION_RULE = PositiveDuration.RULE;

  @Test
  void shouldReadTheDedupWindowOfATopicAKafkaSourceAndAWebhook() {
    MeshConfig mesh = parse("""
        functions: { f: { java: f } }
        triggers:
          orders:
            kafka: { topic: orders, dedup: { window: PT10M } }
            function: f
          hook:
            webhook: { path: inbox, dedup: { window: PT1H } }
            function: f
        topics:
          audit: { dedup: { window: PT30S } }
          plain: {}
        """);
    assertEquals(Optional.of(new DedupSettings(Duration.ofMinutes(10))), mesh.publishableTopics().get("orders").dedup());
    assertEquals(Optional.of(new DedupSettings(Duration.ofSeconds(30))), mesh.publishableTopics().get("audit").dedup());
    assertEquals(Optional.empty(), mesh.publishableTopics().get("plain").dedup());
    assertEquals(Optional.of(new DedupSettings(Duration.ofHours(1))),
        ((WebhookSource) mesh.triggers().get("hook").source()).dedup());
  }

  @Test
  void shouldRefuseAZeroWindowAMissingWindowAndAnUnknownKey() {
    assertEquals(List.of(
            problem(4, 29, "triggers.hook.webhook.dedup", "missing required key \"window\" (how long an accepted "
                + "event's source and id are remembered, such as PT10M)"),
            problem(7, 21, "topics.audit.dedup.window", DURATION_RULE + ", got \"PT0S\""),
            problem(8, 35, "topics.other.dedup.size", "unknown key \"size\"; allowed keys are window")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              hook:
                webhook: { path: inbox, dedup: {} }
                function: f
            topics:
              audit: { dedup: { window: PT0S } }
              other: { dedup: { window: PT1M, size: 10 } }
            """));
  }
}
