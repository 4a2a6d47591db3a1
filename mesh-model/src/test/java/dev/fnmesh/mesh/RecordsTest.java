package dev.fnmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The records refuse values the mesh file could not have produced, so code building them directly is safe. */
class RecordsTest {

  @Test
  void shouldRefuseAPartitionCountOutsideTheSchemaRange() {
    assertThrows(IllegalArgumentException.class, () -> TopicSettings.of(0));
    assertThrows(IllegalArgumentException.class, () -> TopicSettings.of(10_001));
  }

  @Test
  void shouldRefuseTopicSettingsTheSchemaWouldNot() {
    assertThrows(IllegalArgumentException.class,
        () -> new TopicSettings(1, OptionalInt.of(0), Optional.empty(), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new TopicSettings(1, OptionalInt.empty(), Optional.of(Duration.ZERO), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new TopicSettings(1, OptionalInt.empty(),
        Optional.of(Duration.ofDays(1)), Map.of(TopicSettings.RETENTION_MS, "1000")));
  }

  @Test
  void shouldReadStartFromOnlyInTheSpellingOfTheFile() {
    assertEquals(StartFrom.LATEST, StartFrom.fromYaml("latest"));
    assertThrows(IllegalArgumentException.class, () -> StartFrom.fromYaml("LATEST"));
  }

  @Test
  void shouldReadBackTheTextOfEveryStart() {
    StartFrom byTime = StartFrom.at(Instant.parse("2026-12-01T00:00:00Z"));

    assertEquals(byTime, StartFrom.parse(byTime.text()));
    assertEquals(StartFrom.EARLIEST, StartFrom.parse("earliest"));
    assertEquals(StartFrom.at(Instant.parse("2026-11-30T23:00:00Z")), StartFrom.parse("2026-12-01T00:00:00+01:00"));
    assertThrows(IllegalArgumentException.class, () -> StartFrom.parse("2026-12-01"));
  }

  @Test
  void shouldResetATimestampStartToTheOldestEventOnlyWhenItsCommitIsGone() {
    assertEquals("earliest", StartFrom.at(Instant.EPOCH).resetPolicy());
    assertEquals("latest", StartFrom.LATEST.resetPolicy());
  }

  @Test
  void shouldRefuseAnInvalidMeshWithoutProblems() {
    assertThrows(IllegalArgumentException.class, () -> new MeshException(List.of()));
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
    KafkaSource kafka = new KafkaSource("in", TopicSettings.of(3), StartFrom.EARLIEST);

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
    assertThrows(IllegalArgumentException.class,
        () -> webhook(Optional.of("stripe"), Optional.empty(), Optional.empty()));
    assertEquals("provider must be one of github, gitlab, slack, standard-webhooks, stripe, got bitbucket",
        assertThrows(IllegalArgumentException.class, () -> webhook(Optional.of("bitbucket"), Optional.empty(),
            Optional.of(new SecretRef(Optional.of("S"), Optional.empty())))).getMessage());
  }

  @Test
  void shouldAcceptSha256AndSha512AndRefuseAnyOtherHmacAlgorithmNamingThem() {
    assertEquals("sha512", new HmacSpec("X-Sig", "sha512", "").algorithm());
    assertEquals("algorithm must be one of sha256, sha512, got md5",
        assertThrows(IllegalArgumentException.class, () -> new HmacSpec("X-Sig", "md5", "")).getMessage());
  }

  @Test
  void shouldRefuseAZeroOrNegativeTimestampToleranceAndLeaveAnHmacWithoutTimestampByDefault() {
    assertThrows(IllegalArgumentException.class, () -> new HmacTimestamp("X-Ts", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new HmacTimestamp("X-Ts", Duration.ofSeconds(-1)));
    assertEquals(Optional.empty(), new HmacSpec("X-Sig", "sha256", "").timestamp());
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

  @Test
  void shouldRefuseAJavaKindWithAClassNameWithSpacesOrAJarOutsideTheFunctionsDirectory() {
    assertEquals("java must be a class name without spaces, got \"a b\"", assertThrows(
        IllegalArgumentException.class, () -> new JavaKind("a b", false, Optional.empty())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new JavaKind("", false, Optional.empty()));
    for (String jar : List.of("/f.jar", "../f.jar", "lib/../f.jar", "f.zip", "f.jar\nx")) {
      assertThrows(IllegalArgumentException.class, () -> new JavaKind("f", false, Optional.of(jar)), jar);
    }
    assertEquals(Optional.of("lib/f.jar"), new JavaKind("f", false, Optional.of("lib/f.jar")).jar());
  }

  @Test
  void shouldRefuseAnHttpKindWithoutAnHttpUrlWithHostOrWithAConcurrencyOutsideTheSchemaRange() {
    for (String url : List.of("ftp://h/", "/relative", "http:///path", "http://:80/")) {
      assertThrows(IllegalArgumentException.class, () -> new HttpKind(URI.create(url), 1, 0, false), url);
    }
    assertEquals("concurrency must be between 1 and 10000, got 0", assertThrows(IllegalArgumentException.class,
        () -> new HttpKind(URI.create("http://h/"), 0, 0, false)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HttpKind(URI.create("http://h/"), 10_001, 0, false));
    assertEquals(10_000, new HttpKind(URI.create("https://h"), 10_000, 0, true).concurrency());
  }

  @Test
  void shouldRefuseACommandKindWithValuesTheFileCouldNotGiveNamingTheField() {
    assertEquals("command must be a non-empty list of non-empty strings, got []",
        assertThrows(IllegalArgumentException.class, () -> command(List.of(), OptionalInt.empty(), Map.of()))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> command(List.of("x", ""), OptionalInt.empty(), Map.of()));
    assertEquals("port must be between 1 and 65535, got 0", assertThrows(IllegalArgumentException.class,
        () -> command(List.of("x"), OptionalInt.of(0), Map.of())).getMessage());
    assertThrows(IllegalArgumentException.class, () -> command(List.of("x"), OptionalInt.of(65_536), Map.of()));
    assertEquals("readiness must be positive, got PT0S", assertThrows(IllegalArgumentException.class,
        () -> new CommandKind(List.of("x"), OptionalInt.empty(), Duration.ZERO, ".", Map.of(), 1, 0)).getMessage());
    assertEquals("workingDir must not be empty", assertThrows(IllegalArgumentException.class,
        () -> new CommandKind(List.of("x"), OptionalInt.empty(), Duration.ofSeconds(1), "", Map.of(), 1, 0)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new CommandKind(List.of("x"), OptionalInt.empty(), Duration.ofSeconds(1), ".", Map.of(), 0, 0));
  }

  @Test
  void shouldRefuseACommandKindSettingAReservedOrInvalidVariable() {
    assertEquals("env name must match ^[A-Za-z_][A-Za-z0-9_]*$ and not be one of [PORT, FNMESH_FUNCTION, "
        + "FNMESH_REPLICA], got \"PORT\"", assertThrows(IllegalArgumentException.class,
            () -> command(List.of("x"), OptionalInt.empty(), Map.of("PORT", "1"))).getMessage());
    for (String name : List.of("FNMESH_FUNCTION", "FNMESH_REPLICA", "1A", "A-B", "")) {
      assertThrows(IllegalArgumentException.class, () -> command(List.of("x"), OptionalInt.empty(), Map.of(name, "")),
          name);
    }
  }

  @Test
  void shouldTakeAnEnvValueThatIsAStringOrASecretReferenceAndNothingElse() {
    SecretRef token = new SecretRef(Optional.of("TOKEN"), Optional.empty());
    assertEquals(Map.of("A", "1", "T", token), command(List.of("x"), OptionalInt.empty(), Map.of("A", "1", "T", token))
        .env());
    assertEquals("env N must be a string or a SecretRef, got Integer", assertThrows(IllegalArgumentException.class,
        () -> command(List.of("x"), OptionalInt.empty(), Map.of("N", 1))).getMessage());
  }

  @Test
  void shouldRefuseAMaxWaitingOutsideTheSchemaRange() {
    assertEquals("maxWaiting must be between 0 and 100000, got -1", assertThrows(IllegalArgumentException.class,
        () -> new HttpKind(URI.create("http://h/"), 1, -1, false)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new CommandKind(List.of("x"), OptionalInt.empty(), Duration.ofSeconds(1), ".", Map.of(), 1, 100_001));
    assertEquals(100_000, new HttpKind(URI.create("http://h/"), 1, 100_000, false).maxWaiting());
  }

  @Test
  void shouldShowASecretReferenceAsTheFileWritesItNamingNoSecret() {
    assertEquals("{ env: TOKEN }", new SecretRef(Optional.of("TOKEN"), Optional.empty()).toString());
    assertEquals("{ file: /run/key }", new SecretRef(Optional.empty(), Optional.of("/run/key")).toString());
  }

  @Test
  void shouldKeepTheCommandAndEnvOfACommandKindItsOwnWhenTheGivenOnesChangeLater() {
    List<String> args = new ArrayList<>(List.of("python3", "main.py"));
    Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
    CommandKind command = command(args, OptionalInt.of(8080), env);

    args.add("--more");
    env.put("B", "2");

    assertEquals(List.of("python3", "main.py"), command.command());
    assertEquals(Map.of("A", "1"), command.env());
  }

  @Test
  void shouldRefuseAFunctionWithoutKind() {
    assertThrows(NullPointerException.class, () -> new FunctionSpec("f", null, Map.of()));
  }

  private static TriggerSpec trigger(TriggerSource source, String topic, int partitions) {
    return new TriggerSpec("t", source, topic, partitions, "f", List.of(), Optional.empty(),
        DeliverySettings.defaults("t"), Optional.empty(), ScaleSpec.defaults(8), Optional.empty());
  }

  private static CommandKind command(List<String> command, OptionalInt port, Map<String, ?> env) {
    return new CommandKind(command, port, Duration.ofSeconds(1), ".", env, 1, 0);
  }

  private static WebhookSource webhook(Optional<String> provider, Optional<HmacSpec> hmac, Optional<SecretRef> secret) {
    return new WebhookSource("p", provider, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        hmac, secret);
  }
}
