package dev.fnmesh.controller.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fnmesh.host.DeliverySettings;
import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The records refuse values the mesh file could not have produced, so code building them directly is safe. */
class RecordsTest {

  @Test
  void shouldRefuseAPartitionCountOutsideTheSchemaRange() {
    assertThrows(IllegalArgumentException.class, () -> new KafkaSource("t", 0, StartFrom.EARLIEST));
    assertThrows(IllegalArgumentException.class, () -> new KafkaSource("t", 10_001, StartFrom.EARLIEST));
  }

  @Test
  void shouldReadStartFromOnlyInTheSpellingOfTheFile() {
    assertEquals(StartFrom.LATEST, StartFrom.fromYaml("latest"));
    assertThrows(IllegalArgumentException.class, () -> StartFrom.fromYaml("LATEST"));
  }

  @Test
  void shouldRefuseAnInvalidMeshWithoutProblems() {
    assertThrows(IllegalArgumentException.class, () -> new InvalidMeshException(List.of()));
  }

  @Test
  void shouldFormatAProblemAsCompilersDo() {
    assertEquals("mesh.yaml:7:5: triggers.greet.kafka.partitions: must be an integer",
        new MeshProblem("mesh.yaml", 7, 5, "triggers.greet.kafka.partitions", "must be an integer").toString());
    assertEquals("mesh.yaml:1:1: the file is empty",
        new MeshProblem("mesh.yaml", 1, 1, "", "the file is empty").toString());
  }

  @Test
  void shouldRefuseAKafkaTriggerWhoseTopicOrPartitionsDifferFromItsSource() {
    KafkaSource kafka = new KafkaSource("in", 3, StartFrom.EARLIEST);

    assertThrows(IllegalArgumentException.class, () -> trigger(kafka, "other", 3));
    assertThrows(IllegalArgumentException.class, () -> trigger(kafka, "in", 8));
    assertEquals("in", trigger(kafka, "in", 3).topic());
  }

  @Test
  void shouldRefuseATriggerPartitionCountOutsideTheSchemaRange() {
    CronSource cron = new CronSource("@daily", "UTC", CronSource.DEFAULT_TYPE, Optional.empty(), CronSource.Missed.SKIP);

    assertThrows(IllegalArgumentException.class, () -> trigger(cron, "fnmesh.t", 0));
    assertThrows(IllegalArgumentException.class, () -> trigger(cron, "fnmesh.t", 10_001));
  }

  @Test
  void shouldRefuseASecretWithBothOrNeitherPlace() {
    assertThrows(IllegalArgumentException.class, () -> new SecretRef(Optional.of("S"), Optional.of("/s")));
    assertThrows(IllegalArgumentException.class, () -> new SecretRef(Optional.empty(), Optional.empty()));
  }

  @Test
  void shouldRefuseAWebhookThatChecksSignaturesWithoutSecretOrNamesAnUnknownProvider() {
    Optional<HmacSpec> hmac = Optional.of(new HmacSpec("X-Sig", "sha256", ""));

    assertThrows(IllegalArgumentException.class, () -> webhook(Optional.empty(), hmac, Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> webhook(Optional.of("github"), Optional.empty(), Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> webhook(Optional.of("gitlab"), Optional.empty(),
        Optional.of(new SecretRef(Optional.of("S"), Optional.empty()))));
  }

  @Test
  void shouldRefuseAnHmacAlgorithmOtherThanSha256() {
    assertThrows(IllegalArgumentException.class, () -> new HmacSpec("X-Sig", "sha1", ""));
  }

  @Test
  void shouldRefuseAnEmptyValueAndGiveAConstantNoPrefix() {
    assertThrows(IllegalArgumentException.class, () -> new ValueSpec(ValueSpec.Kind.HEADER, "", "x"));
    assertEquals(new ValueSpec(ValueSpec.Kind.CONSTANT, "t", ""), ValueSpec.constant("t"));
  }

  @Test
  void shouldRefuseACronSourceWithAnUnknownTimeZoneOrBlankSchedule() {
    assertThrows(DateTimeException.class,
        () -> new CronSource("@daily", "Mars/Base", "t", Optional.empty(), CronSource.Missed.SKIP));
    assertThrows(IllegalArgumentException.class,
        () -> new CronSource(" ", "UTC", "t", Optional.empty(), CronSource.Missed.SKIP));
  }

  @Test
  void shouldKeepCronDataItsOwnWhenTheGivenNodeChangesLater() {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("n", 1);
    CronSource cron = new CronSource("@daily", "UTC", "t", Optional.of(data), CronSource.Missed.SKIP);

    data.put("n", 2);

    assertEquals(1, cron.data().orElseThrow().path("n").asInt());
  }

  @Test
  void shouldReadMissedOnlyInTheSpellingOfTheFile() {
    assertEquals(CronSource.Missed.ONCE, CronSource.Missed.fromYaml("once"));
    assertThrows(IllegalArgumentException.class, () -> CronSource.Missed.fromYaml("ONCE"));
  }

  @Test
  void shouldRefuseAScaleOutsideTheSchemaRangeOrWithMaxBelowMinNamingTheField() {
    Duration second = Duration.ofSeconds(1);

    assertEquals("min must be between 0 and 1000, got -1", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(-1, 8, 100, 0, second, second)).getMessage());
    assertEquals("max must be between 1 and 1000, got 1001", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(0, 1001, 100, 0, second, second)).getMessage());
    assertEquals("max must be at least min (3), got 2", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(3, 2, 100, 0, second, second)).getMessage());
    assertEquals("lagThreshold must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(0, 8, 0, 0, second, second)).getMessage());
    assertEquals("activationLagThreshold must be at least 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(0, 8, 100, -1, second, second)).getMessage());
    assertEquals("cooldown must not be negative, got PT-1S", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(0, 8, 100, 0, second.negated(), second)).getMessage());
    assertEquals("pollInterval must be at least PT0.1S, got PT0.099S", assertThrows(IllegalArgumentException.class,
        () -> new ScaleSpec(0, 8, 100, 0, second, Duration.ofMillis(99))).getMessage());
  }

  @Test
  void shouldAcceptAScaleAtTheEdgesOfItsRanges() {
    ScaleSpec scale = new ScaleSpec(1000, 1000, 1, Long.MAX_VALUE, Duration.ZERO, Duration.ofMillis(100));

    assertEquals(1000, scale.min());
  }

  @Test
  void shouldDefaultMaxToThePartitionCountCappedAtTheMostReplicas() {
    assertEquals(new ScaleSpec(0, 3, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1)), ScaleSpec.defaults(3));
    assertEquals(ScaleSpec.MAX_REPLICAS, ScaleSpec.defaults(KafkaSource.MAX_PARTITIONS).max());
    assertThrows(IllegalArgumentException.class, () -> ScaleSpec.defaults(0));
  }

  private static TriggerSpec trigger(TriggerSource source, String topic, int partitions) {
    return new TriggerSpec("t", source, topic, partitions, "f", Optional.empty(), Optional.empty(),
        DeliverySettings.defaults("t"), Optional.empty(), ScaleSpec.defaults(8));
  }

  private static WebhookSource webhook(Optional<String> provider, Optional<HmacSpec> hmac, Optional<SecretRef> secret) {
    return new WebhookSource("p", provider, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        hmac, secret);
  }
}
