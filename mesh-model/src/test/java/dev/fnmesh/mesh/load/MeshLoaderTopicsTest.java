package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TopicSpec;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code topics:} section: topics published to over HTTP that no trigger consumes, their partitions and
 * data schema, and the names that can never be published to.
 */
class MeshLoaderTopicsTest {

  private static final String FUNCTIONS = """
      functions:
        echo: { java: echo }
      """;

  @Test
  void shouldReadEachTopicWithItsPartitionsAndDataschema() {
    MeshConfig mesh = parse(FUNCTIONS + """
        topics:
          audit: { partitions: 3, dataschema: audit.schema.json }
        """);

    assertEquals(Map.of("audit", new TopicSpec("audit", TopicSettings.of(3), Optional.of("audit.schema.json"))), mesh.topics());
  }

  @Test
  void shouldGiveATopicEightPartitionsAndNoDataschemaByDefault() {
    MeshConfig mesh = parse(FUNCTIONS + """
        topics:
          audit: {}
        """);

    assertEquals(new TopicSpec("audit", TopicSettings.of(8), Optional.empty()), mesh.topics().get("audit"));
  }

  @Test
  void shouldReadATopicsReplicationRetentionAndConfigAsKafkaTakesThem() {
    MeshConfig mesh = parse(FUNCTIONS + """
        topics:
          audit:
            replicationFactor: 2
            retention: P7D
            config: { cleanup.policy: compact, max.message.bytes: 2097152, preallocate: true }
        """);

    assertEquals(new TopicSettings(8, OptionalInt.of(2), Optional.of(Duration.ofDays(7)),
            Map.of("cleanup.policy", "compact", "max.message.bytes", "2097152", "preallocate", "true")),
        mesh.topics().get("audit").settings());
  }

  @Test
  void shouldReadTheSameSettingsOnAKafkaTriggersSourceAndPublishItsTopicWithThem() {
    MeshConfig mesh = parse(FUNCTIONS + """
        triggers:
          in:
            kafka: { topic: in, partitions: 2, replicationFactor: 3, retention: PT12H, config: { segment.ms: 600000 } }
            function: echo
        """);

    TopicSettings settings = new TopicSettings(2, OptionalInt.of(3), Optional.of(Duration.ofHours(12)),
        Map.of("segment.ms", "600000"));
    assertEquals(settings, mesh.triggers().get("in").topicSettings());
    assertEquals(Map.of("in", settings), mesh.publishableTopics());
  }

  @Test
  void shouldReportAZeroRetentionAndARetentionGivenTwice() {
    assertEquals(List.of(
            problem(5, 40, "triggers.t.kafka.retention", "must be a positive ISO-8601 duration such as PT0.2S, "
                + "PT30S, PT5M or P1D, got \"PT0S\""),
            problem(8, 12, "topics.audit.retention", "retention sets the topic's retention.ms, which config sets "
                + "too: keep one")),
        problemsOf(FUNCTIONS + """
            triggers:
              t:
                kafka: { topic: in, partitions: 3, retention: PT0S }
                function: echo
            topics:
              audit: { retention: P1D, config: { retention.ms: 1000 } }
            """));
  }

  @Test
  void shouldReportAReplicationFactorBelowOneAndAConfigThatIsNoKafkaTopicConfig() {
    assertEquals(List.of(
            problem(4, 12, "topics.audit.replicationFactor", "must be an integer between 1 and 32767, got 0"),
            problem(5, 20, "topics.log.config.Cleanup Policy", "must be a Kafka topic config name such as "
                + "cleanup.policy or max.message.bytes, got \"Cleanup Policy\""),
            problem(6, 22, "topics.other.config.cleanup.policy", "must be the config's value: a string, a number "
                + "or true or false, got a list")),
        problemsOf(FUNCTIONS + """
            topics:
              audit: { replicationFactor: 0 }
              log: { config: { Cleanup Policy: compact } }
              other: { config: { cleanup.policy: [compact] } }
            """));
  }

  @Test
  void shouldLeaveTopicsEmptyWhenTheSectionIsOmitted() {
    assertEquals(Map.of(), parse(FUNCTIONS).topics());
  }

  @Test
  void shouldPublishToEveryKafkaTriggersTopicAndEveryDeclaredTopicButNoReplyWebhookOrFnmeshTopic() {
    MeshConfig mesh = parse(FUNCTIONS + """
        triggers:
          in:
            kafka: { topic: in, partitions: 2 }
            function: echo
            reply: { topic: in.replies }
            delivery: { deadLetter: { topic: in.dlq } }
          own:
            kafka: { topic: fnmesh.in.dlq }
            function: echo
          hook:
            webhook: { path: inbox }
            topic: inbox
            function: echo
        topics:
          audit: { partitions: 3 }
        """);

    assertEquals(Map.of("in", TopicSettings.of(2), "audit", TopicSettings.of(3)), mesh.publishableTopics());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fnmesh.state", "fnmesh.cron", "__consumer_offsets", "__x"})
  void shouldReportATopicNamedLikeFnmeshsOrKafkasOwn(String topic) {
    assertEquals(problem(4, 3, "topics." + topic, "must be a legal Kafka topic name that events may be published to: 1 to "
            + "249 letters, digits, '.', '_' or '-', not '.' or '..', and not starting with 'fnmesh.' or '__', "
            + "which name fnmesh's and Kafka's own topics, got \"" + topic + "\""),
        onlyProblemOf(FUNCTIONS + "topics:\n  " + topic + ": {}\n"));
  }

  @Test
  void shouldReportAKafkaTriggerConsumingAKafkaInternalTopic() {
    assertEquals(problem(5, 14, "triggers.t.kafka.topic", MeshFiles.TOPIC_RULE + ", got \"__consumer_offsets\""),
        onlyProblemOf(FUNCTIONS + """
            triggers:
              t:
                kafka: { topic: __consumer_offsets }
                function: echo
            """));
  }

  @Test
  void shouldReportBadPartitionsAndDataschemaAndUnknownKeysOfATopic() {
    assertEquals(List.of(
            problem(4, 12, "topics.audit.partitions", "must be an integer between 1 and 10000, got 0"),
            problem(4, 27, "topics.audit.dataschema", "must be the relative path of a .json file in the schemas "
                + "directory, such as order.schema.json: letters, digits, '.', '_', '-' and '/', without a leading "
                + "'/' or any '.' or '..' folder, got \"../x.json\""),
            problem(5, 3, "topics.log", "must be a mapping of the topic's keys partitions, "
                + "replicationFactor, retention, config, dataschema and dedup, such as { partitions: 3 }; {} for the "
                + "defaults, got 3"),
            problem(6, 12, "topics.other.partition", "unknown key \"partition\" (did you mean \"partitions\"?); "
                + "allowed keys are partitions, replicationFactor, retention, config, dataschema, dedup")),
        problemsOf(FUNCTIONS + """
            topics:
              audit: { partitions: 0, dataschema: ../x.json }
              log: 3
              other: { partition: 3 }
            """));
  }

  @Test
  void shouldReportATopicThatAKafkaTriggerConsumesNamingTheTriggersKey() {
    assertEquals(problem(8, 3, "topics.in", "the topic \"in\" is already declared by triggers.t.kafka.topic at "
            + "line 5, which makes it publishable; remove it here and give the trigger's kafka source its "
            + "partitions, replicationFactor, retention and config, and the trigger its dataschema"),
        onlyProblemOf(FUNCTIONS + """
            triggers:
              t:
                kafka: { topic: in, partitions: 3 }
                function: echo
            topics:
              in: { partitions: 3 }
            """));
  }

  @Test
  void shouldReportATopicThatAWebhookTriggerConsumes() {
    assertEquals(problem(9, 3, "topics.inbox", "the topic \"inbox\" is consumed by triggers.hook.topic at line 6, "
            + "whose events come from its webhook or schedule only; remove it here or give the trigger another topic"),
        onlyProblemOf(FUNCTIONS + """
            triggers:
              hook:
                webhook: { path: inbox }
                topic: inbox
                function: echo
            topics:
              inbox: {}
            """));
  }
}
