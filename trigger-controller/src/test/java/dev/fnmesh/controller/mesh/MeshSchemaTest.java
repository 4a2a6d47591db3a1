package dev.fnmesh.controller.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

/** The schema file on the classpath and the records agree on defaults and limits. */
class MeshSchemaTest {

  private static JsonNode schema;

  @BeforeAll
  static void readSchema() throws IOException {
    try (InputStream in = MeshSchemaTest.class.getClassLoader().getResourceAsStream(MeshSchema.RESOURCE)) {
      schema = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void shouldDeclareTheDefaultsTheLoaderApplies() {
    JsonNode kafka = schema.at("/$defs/kafkaSource/properties");

    assertEquals(KafkaSource.DEFAULT_PARTITIONS, kafka.at("/partitions/default").asInt());
    assertEquals(KafkaSource.DEFAULT_START_FROM.yamlName(), kafka.at("/startFrom/default").asText());
    assertEquals(FunctionSpec.DEFAULT_BLOCKING, schema.at("/$defs/function/properties/blocking/default").asBoolean());
  }

  @Test
  void shouldDeclareThePartitionLimitOfTheRecords() {
    assertEquals(KafkaSource.MAX_PARTITIONS, schema.at("/$defs/kafkaSource/properties/partitions/maximum").asInt());
  }

  @Test
  void shouldListEveryStartFromValue() {
    JsonNode values = schema.at("/$defs/kafkaSource/properties/startFrom/enum");

    assertEquals(StartFrom.values().length, values.size());
    for (StartFrom startFrom : StartFrom.values()) {
      assertEquals(startFrom, StartFrom.fromYaml(values.get(startFrom.ordinal()).asText()));
    }
  }
}
