package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.WebhookSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The schema file on the classpath and the records agree on defaults, limits, enumerations and wording. */
class MeshSchemaTest {

  /** How the schema describes a key of some function kinds only: "http and command functions only: ...". */
  private static final Pattern KIND_ONLY = Pattern.compile("^([a-z, ]+) functions only:");

  private static JsonNode schema;

  @BeforeAll
  static void readSchema() throws IOException {
    try (InputStream in = MeshSchemaTest.class.getClassLoader().getResourceAsStream(YamlSchema.MESH)) {
      schema = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void shouldDeclareTheDefaultsTheLoaderApplies() {
    JsonNode kafka = schema.at("/$defs/kafkaSource/properties");

    assertEquals(KafkaSource.DEFAULT_PARTITIONS, kafka.at("/partitions/default").asInt());
    assertEquals(KafkaSource.DEFAULT_START_FROM.yamlName(), kafka.at("/startFrom/default").asText());
  }

  @Test
  void shouldDeclareThePartitionLimitOfTheRecords() {
    assertEquals(KafkaSource.MAX_PARTITIONS, schema.at("/$defs/kafkaSource/properties/partitions/maximum").asInt());
  }

  @Test
  void shouldListEveryStartFromNameAndTheTimestampKey() {
    JsonNode startFrom = schema.at("/$defs/kafkaSource/properties/startFrom");

    assertEquals(List.of(StartFrom.EARLIEST.yamlName(), StartFrom.LATEST.yamlName()),
        List.of(startFrom.at("/then/enum/0").asText(), startFrom.at("/then/enum/1").asText()));
    assertEquals(2, startFrom.at("/then/enum").size());
    assertEquals(StartFrom.Position.TIMESTAMP.yamlName(), startFrom.at("/required/0").asText());
  }

  @Test
  void shouldDeclareTheDefaultsAndLimitOfATriggerLevelTopic() {
    JsonNode partitions = schema.at("/$defs/trigger/properties/partitions");

    assertEquals(KafkaSource.DEFAULT_PARTITIONS, partitions.path("default").asInt());
    assertEquals(KafkaSource.MAX_PARTITIONS, partitions.path("maximum").asInt());
  }

  @Test
  void shouldDeclareTheDefaultsAndLimitOfAPublishedTopic() {
    JsonNode partitions = schema.at("/$defs/publishedTopic/properties/partitions");

    assertEquals(KafkaSource.DEFAULT_PARTITIONS, partitions.path("default").asInt());
    assertEquals(KafkaSource.MAX_PARTITIONS, partitions.path("maximum").asInt());
  }

  @Test
  void shouldDeclareTheCronDefaultsAndEveryMissedValue() {
    JsonNode cron = schema.at("/$defs/cronSource/properties");

    assertEquals(CronSource.DEFAULT_TIMEZONE, cron.at("/timezone/default").asText());
    assertEquals(CronSource.DEFAULT_TYPE, cron.at("/type/default").asText());
    assertEquals(CronSource.DEFAULT_MISSED.yamlName(), cron.at("/missed/default").asText());
    assertEquals(Arrays.stream(CronSource.Missed.values()).map(CronSource.Missed::yamlName).toList(),
        texts(cron.at("/missed/enum")));
  }

  @Test
  void shouldDeclareTheProvidersTheHmacAlgorithmsAndTheTimestampToleranceTheRecordsAccept() {
    assertEquals(WebhookSource.PROVIDERS, texts(schema.at("/$defs/webhookSource/properties/provider/enum")));
    assertEquals(HmacTimestamp.DEFAULT_TOLERANCE,
        Duration.parse(schema.at("/$defs/hmacTimestamp/properties/tolerance/default").asText()));
    assertEquals(HmacSpec.ALGORITHMS, texts(schema.at("/$defs/hmac/properties/algorithm/enum")));
    assertEquals(HmacSpec.DEFAULT_ALGORITHM, schema.at("/$defs/hmac/properties/algorithm/default").asText());
  }

  @Test
  void shouldDeclareTheDeliveryDefaultsOfTheFunctionHost() {
    JsonNode delivery = schema.at("/$defs/delivery/properties");
    DeliverySettings defaults = DeliverySettings.defaults("t");

    assertEquals(defaults.retry(), delivery.at("/retry/default").asInt());
    assertEquals(lower(defaults.backoffPolicy()), delivery.at("/backoffPolicy/default").asText());
    assertEquals(defaults.backoffDelay(), Duration.parse(delivery.at("/backoffDelay/default").asText()));
    assertEquals(defaults.timeout(), Duration.parse(delivery.at("/timeout/default").asText()));
    assertEquals(lower(defaults.ordering()), delivery.at("/ordering/default").asText());
    assertEquals(defaults.maxInFlight(), delivery.at("/maxInFlight/default").asInt());
  }

  @Test
  void shouldDeclareTheBatchDefaultsAndLimitsOfTheRecord() {
    JsonNode batch = schema.at("/$defs/delivery/properties/batch/properties");
    BatchSettings defaults = BatchSettings.defaults();

    assertEquals(defaults.maxEvents(), batch.at("/maxEvents/default").asInt());
    assertEquals(defaults.maxWait(), Duration.parse(batch.at("/maxWait/default").asText()));
    assertEquals(defaults.maxBytes(), batch.at("/maxBytes/default").asLong());
    assertEquals(BatchSettings.MAX_EVENTS, batch.at("/maxEvents/maximum").asInt());
    assertEquals(BatchSettings.MAX_BYTES, batch.at("/maxBytes/maximum").asLong());
  }

  @Test
  void shouldListEveryBackoffPolicyAndOrderingOfTheFunctionHost() {
    JsonNode delivery = schema.at("/$defs/delivery/properties");

    assertEquals(Arrays.stream(DeliverySettings.BackoffPolicy.values()).map(MeshSchemaTest::lower).toList(),
        texts(delivery.at("/backoffPolicy/enum")));
    assertEquals(Arrays.stream(DeliverySettings.Ordering.values()).map(MeshSchemaTest::lower).toList(),
        texts(delivery.at("/ordering/enum")));
  }

  @Test
  void shouldWordADurationAsTheLoaderDoesAndMatchOnlyTextsJavaParses() {
    JsonNode duration = schema.at("/$defs/duration");
    Pattern pattern = Pattern.compile(duration.path("pattern").asText());

    assertEquals(PositiveDuration.RULE, duration.path("errorMessage").asText());
    for (String text : List.of("PT0.2S", "P1D", "PT1H30M", "P999999999DT999999999H999999999M999999999.999999999S")) {
      assertTrue(pattern.matcher(text).find(), text);
      Duration.parse(text);
    }
    for (String text : List.of("P", "PT", "P1DT", "-PT1S", "PT1.S", "P1W", "PT0.0000000001S")) {
      assertFalse(pattern.matcher(text).find(), text);
    }
  }

  @Test
  void shouldDeclareTheScaleDefaultsAndLimitsOfTheRecord() {
    JsonNode scale = schema.at("/$defs/scale/properties");
    ScaleSpec defaults = ScaleSpec.defaults(KafkaSource.DEFAULT_PARTITIONS);

    assertEquals(defaults.min(), scale.at("/min/default").asInt());
    assertEquals(defaults.lagThreshold(), scale.at("/lagThreshold/default").asLong());
    assertEquals(defaults.activationLagThreshold(), scale.at("/activationLagThreshold/default").asLong());
    assertEquals(defaults.cooldown(), Duration.parse(scale.at("/cooldown/default").asText()));
    assertEquals(defaults.pollInterval(), Duration.parse(scale.at("/pollInterval/default").asText()));
    // max has no constant default: it is the partition count of the trigger's topic.
    assertTrue(scale.at("/max/default").isMissingNode());
    assertEquals(List.of(0, ScaleSpec.MAX_REPLICAS, 1, ScaleSpec.MAX_REPLICAS),
        List.of(scale.at("/min/minimum").asInt(), scale.at("/min/maximum").asInt(), scale.at("/max/minimum").asInt(),
            scale.at("/max/maximum").asInt()));
    assertEquals(List.of(1L, Long.MAX_VALUE), List.of(scale.at("/lagThreshold/minimum").asLong(),
        scale.at("/lagThreshold/maximum").asLong()));
    assertEquals(List.of(0L, Long.MAX_VALUE), List.of(scale.at("/activationLagThreshold/minimum").asLong(),
        scale.at("/activationLagThreshold/maximum").asLong()));
  }

  @Test
  void shouldGiveEveryDurationThePatternTheScaleChecksTrust() {
    assertEquals(ScaleChecks.DURATION_PATTERN, schema.at("/$defs/duration/pattern").asText());
    assertEquals(ScaleChecks.DURATION_PATTERN, schema.at("/$defs/durationOrZero/pattern").asText());
    assertEquals("#/$defs/duration", schema.at("/$defs/scale/properties/pollInterval/$ref").asText());
    assertEquals("#/$defs/durationOrZero", schema.at("/$defs/scale/properties/cooldown/$ref").asText());
  }

  @Test
  void shouldDeclareTheFunctionKindDefaultsAndLimitsOfTheRecords() {
    JsonNode function = schema.at("/$defs/function/properties");

    assertEquals(JavaKind.DEFAULT_BLOCKING, function.at("/blocking/default").asBoolean());
    assertEquals(HttpKind.DEFAULT_STRUCTURED, function.at("/structured/default").asBoolean());
    assertEquals(List.of(1, FunctionKind.DEFAULT_CONCURRENCY, FunctionKind.MAX_CONCURRENCY),
        List.of(function.at("/concurrency/minimum").asInt(), function.at("/concurrency/default").asInt(),
            function.at("/concurrency/maximum").asInt()));
    assertEquals(CommandKind.AUTO_PORT, function.at("/port/default").asText());
    assertEquals("^" + CommandKind.AUTO_PORT + "$", function.at("/port/pattern").asText());
    assertEquals(List.of(1, CommandKind.MAX_PORT),
        List.of(function.at("/port/minimum").asInt(), function.at("/port/maximum").asInt()));
    assertEquals(CommandKind.DEFAULT_READINESS, Duration.parse(function.at("/readiness/default").asText()));
    assertEquals("#/$defs/duration", function.at("/readiness/$ref").asText());
    assertEquals(CommandKind.DEFAULT_WORKING_DIR, function.at("/workingDir/default").asText());
    assertEquals(ImageKind.DEFAULT_PATH, function.at("/path/default").asText());
    assertEquals(ImageKind.DEFAULT_USER, function.at("/user/default").asText());
  }

  @Test
  void shouldGiveTheRecordsAndChecksThePatternsNamesAndWordingOfTheSchema() {
    JsonNode function = schema.at("/$defs/function/properties");

    assertEquals(JavaKind.JAR_PATTERN, function.at("/jar/pattern").asText());
    assertEquals(CommandKind.ENV_NAME_PATTERN, function.at("/env/propertyNames/pattern").asText());
    assertEquals(ImageKind.MEMORY_PATTERN, function.at("/memory/pattern").asText());
    assertEquals(ImageKind.USER_PATTERN, function.at("/user/pattern").asText());
    assertEquals(CommandKind.RESERVED_ENV, texts(function.at("/env/propertyNames/not/enum")));
    assertEquals(FunctionChecks.URL_RULE, function.at("/http/errorMessage").asText());
  }

  @Test
  void shouldHaveOneOneOfBranchPerFunctionKind() {
    List<String> branches = new ArrayList<>();
    schema.at("/$defs/function/oneOf").forEach(branch -> branches.add(branch.at("/required/0").asText()));

    assertEquals(FunctionChecks.KINDS, branches);
    assertEquals(List.of("java", "http", "command", "image"), List.of(new JavaKind("j", false, Optional.empty()).yamlName(),
        new HttpKind(URI.create("http://h/"), 1, 0, false).yamlName(),
        new CommandKind(List.of("c"), OptionalInt.empty(), Duration.ofSeconds(1), ".", Map.of(), 1, 0).yamlName(),
        new ImageKind("i", 80, "/", Duration.ofSeconds(1), Map.of(), Optional.empty(), "1", 1, 0).yamlName()));
    assertEquals(FunctionKind.class.getPermittedSubclasses().length, branches.size());
  }

  @Test
  void shouldDescribeEachKindOnlyKeyAsTheChecksEnforceIt() {
    Map<String, List<String>> described = new LinkedHashMap<>();
    schema.at("/$defs/function/properties").properties().forEach(property -> {
      Matcher only = KIND_ONLY.matcher(property.getValue().path("description").asText());
      if (only.find()) {
        described.put(property.getKey(), List.of(only.group(1).split(",? and |, ")));
      }
    });

    assertEquals(FunctionChecks.KIND_KEYS, described);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(value -> texts.add(value.asText()));
    return texts;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
