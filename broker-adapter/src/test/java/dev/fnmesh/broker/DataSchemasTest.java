package dev.fnmesh.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Event data checked against the JSON Schemas of a schemas directory: the example order schema of the
 * example mesh, schemas written per test, and every way a schema or the data can be unusable.
 */
class DataSchemasTest {

  private static final String ORDER = "order.schema.json";
  private static final String VALID_ORDER = "{\"id\":\"o-1\",\"amount\":12.5,\"currency\":\"EUR\"}";

  @TempDir
  Path dir;
  private DataSchemas schemas;

  @BeforeEach
  void copyTheExampleOrderSchema() throws IOException {
    // Surefire runs in the module directory; the example mesh keeps its schema in examples/schemas/.
    Files.copy(Path.of("..", "examples", "schemas", ORDER), dir.resolve(ORDER));
    schemas = new DataSchemas(dir);
  }

  private static CloudEvent event(String contentType, String data) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t");
    return data == null ? builder.withDataContentType(contentType).build()
        : builder.withData(contentType, data.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static CloudEvent json(String data) {
    return event("application/json", data);
  }

  private void write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private String message(String schema, CloudEvent event) {
    EventProblem problem = schemas.validate(schema, event).orElseThrow();
    assertEquals(400, problem.status());
    assertEquals("data", problem.field());
    return problem.message();
  }

  private String loadFailure(String schema) {
    return assertThrows(IllegalArgumentException.class, () -> schemas.check(schema)).getMessage();
  }

  @Test
  void validDataPassesTheExampleOrderSchema() {
    schemas.check(ORDER);
    assertEquals(Optional.empty(), schemas.validate(ORDER, json(VALID_ORDER)));
  }

  @Test
  void invalidDataIsRefusedWithEveryMessageOfTheValidator() {
    String message = message(ORDER, json("{\"id\":\"o-1\",\"amount\":\"12\",\"currency\":\"eur\"}"));
    assertTrue(message.startsWith("data does not match schema order.schema.json: "), message);
    assertTrue(message.contains("$.amount: string found, number expected"), message);
    assertTrue(message.contains("$.currency: does not match the regex pattern ^[A-Z]{3}$"), message);
  }

  @Test
  void aMissingRequiredPropertyAndANegativeAmountAreNamed() {
    String message = message(ORDER, json("{\"amount\":-1,\"currency\":\"EUR\"}"));
    assertTrue(message.contains("$: required property 'id' not found"), message);
    assertTrue(message.contains("$.amount: must have a minimum value of 0"), message);
  }

  @Test
  void structuredModeJsonDataIsValidatedAsItsTree() throws IOException {
    CloudEvent event = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t")
        .withData("application/json", JsonCloudEventData.wrap(new ObjectMapper().readTree("{\"id\":\"o-1\"}")))
        .build();
    assertTrue(message(ORDER, event).contains("required property 'amount' not found"));
  }

  @Test
  void jsonSuffixMediaTypesWithParametersCountAsJson() {
    assertEquals(Optional.empty(),
        schemas.validate(ORDER, event("application/vnd.shop.order+json; charset=utf-8", VALID_ORDER)));
    assertEquals(Optional.empty(), schemas.validate(ORDER, event("Text/JSON", VALID_ORDER)));
  }

  @Test
  void dataWithoutContentTypeIsReadAsJson() {
    assertEquals(Optional.empty(), schemas.validate(ORDER, event(null, VALID_ORDER)));
    assertTrue(message(ORDER, event(null, "id=o-1")).startsWith("data is not valid JSON"));
  }

  @Test
  void dataOfANonJsonContentTypeIsRefused() {
    String message = message(ORDER, event("text/plain", VALID_ORDER));
    assertEquals("data must be JSON to be checked against schema order.schema.json, but datacontenttype is "
        + "'text/plain'; expected application/json or a +json type", message);
  }

  @Test
  void malformedJsonDataIsRefusedWithWhereItBreaks() {
    String message = message(ORDER, json("{\"id\":\"o-1\","));
    assertTrue(message.startsWith("data is not valid JSON, which schema order.schema.json requires: "), message);
    assertTrue(message.contains("line 1, column"), message);
    String twoValues = message(ORDER, json(VALID_ORDER + " {}"));
    assertTrue(twoValues.endsWith("unexpected content after the JSON value at line 1, column 45"), twoValues);
  }

  @Test
  void anEventWithoutDataIsRefused() {
    assertEquals("data is missing: schema order.schema.json requires JSON data",
        message(ORDER, event("application/json", null)));
    assertTrue(message(ORDER, json("  ")).startsWith("data is missing"));
  }

  @Test
  void aMissingSchemaFileIsRefusedByCheckAndByValidate() {
    String message = loadFailure("missing.schema.json");
    assertTrue(message.contains("'missing.schema.json' not found"), message);
    assertTrue(message.contains(dir.toAbsolutePath().normalize().resolve("missing.schema.json").toString()), message);
    assertThrows(IllegalArgumentException.class, () -> schemas.validate("missing.schema.json", json("{}")));
  }

  @Test
  void aSchemaNameOutsideTheDirectoryIsRefused() {
    assertTrue(loadFailure("../" + ORDER).contains("must be a relative path of a file inside"));
    assertTrue(loadFailure(dir.resolve(ORDER).toAbsolutePath().toString()).contains("must be a relative path"));
  }

  @Test
  void aSchemaThatIsNotJsonIsRefused() throws IOException {
    write("broken.schema.json", "{\"type\": \"object\",");
    String message = loadFailure("broken.schema.json");
    assertTrue(message.startsWith("JSON Schema 'broken.schema.json' is not valid JSON: "), message);
    write("empty.schema.json", " ");
    assertTrue(loadFailure("empty.schema.json").startsWith("JSON Schema 'empty.schema.json' is empty"));
  }

  @Test
  void aSchemaThatBreaksItsMetaSchemaIsRefusedWithTheReason() throws IOException {
    write("typo.schema.json", "{\"type\": \"strnig\"}");
    String message = loadFailure("typo.schema.json");
    assertTrue(message.startsWith("JSON Schema 'typo.schema.json' is not a valid schema of dialect "
        + "https://json-schema.org/draft/2020-12/schema: $.type: does not have a value in the enumeration"), message);
  }

  @Test
  void aSchemaWithAnUnresolvableReferenceIsRefused() throws IOException {
    write("ref.schema.json", "{\"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}");
    assertTrue(loadFailure("ref.schema.json").startsWith("JSON Schema 'ref.schema.json' cannot be compiled: "));
  }

  @Test
  void anUnknownDialectIsRefused() throws IOException {
    write("dialect.schema.json", "{\"$schema\": \"https://example.com/my-meta\"}");
    assertTrue(loadFailure("dialect.schema.json").contains("unknown $schema 'https://example.com/my-meta'"));
  }

  @Test
  void aDraft07SchemaIsReadInItsOwnDialect() throws IOException {
    // Tuple items: an array under "items" is draft-07, and invalid under draft 2020-12.
    String tuple = "\"type\": \"array\", \"items\": [{\"type\": \"string\"}, {\"type\": \"number\"}]}";
    write("pair.schema.json", "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", " + tuple);
    assertEquals(Optional.empty(), schemas.validate("pair.schema.json", json("[\"a\", 1]")));
    assertTrue(message("pair.schema.json", json("[\"a\", \"b\"]")).contains("$[1]: string found, number expected"));
    write("pair2020.schema.json", "{" + tuple);
    assertTrue(loadFailure("pair2020.schema.json").contains("is not a valid schema"));
  }

  @Test
  void aReferenceToAnotherFileOfTheDirectoryResolvesButNotOneOutsideIt() throws IOException {
    write("common/money.schema.json", "{\"type\": \"number\", \"minimum\": 0}");
    write("invoice.schema.json", "{\"properties\": {\"total\": {\"$ref\": \"common/money.schema.json\"}}}");
    assertTrue(message("invoice.schema.json", json("{\"total\": -3}")).contains("$.total: must have a minimum"));
    Files.writeString(dir.getParent().resolve("outside.schema.json"), "{\"type\": \"number\"}");
    write("escape.schema.json", "{\"properties\": {\"x\": {\"$ref\": \"../outside.schema.json\"}}}");
    String escape = loadFailure("escape.schema.json");
    assertTrue(escape.contains("cannot be compiled: $ref target file:"), escape);
    assertTrue(escape.contains("outside.schema.json cannot be read: a $ref may name files inside"), escape);
  }

  @Test
  void aSchemaIsCompiledOnceAndKeptWhenItsFileChanges() throws IOException {
    schemas.check(ORDER);
    Files.writeString(dir.resolve(ORDER), "{\"type\": \"string\"}");
    for (int i = 0; i < 2; i++) {
      assertEquals(Optional.empty(), schemas.validate(ORDER, json(VALID_ORDER)));
      assertTrue(message(ORDER, json("\"o-1\"")).contains("$: string found, object expected"));
    }
    // A new instance reads the directory afresh.
    assertEquals(Optional.empty(), new DataSchemas(dir).validate(ORDER, json("\"o-1\"")));
  }

  @Test
  void aSchemaThatFailedToLoadIsReadAgainOnTheNextCall() throws IOException {
    loadFailure("late.schema.json");
    write("late.schema.json", "{\"type\": \"object\"}");
    schemas.check("late.schema.json");
  }

  @Test
  void manyThreadsValidateAgainstTheSameSchemaAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Optional<EventProblem>>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String data = i % 2 == 0 ? VALID_ORDER : "{\"id\":\"o-1\",\"amount\":-" + i + ",\"currency\":\"EUR\"}";
        results.add(pool.submit(() -> schemas.validate(ORDER, json(data))));
      }
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i % 2 == 0, results.get(i).get().isEmpty(), "result " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLongListOfFindingsIsCut() throws IOException {
    write("numbers.schema.json", "{\"type\": \"array\", \"items\": {\"type\": \"number\"}}");
    String message = message("numbers.schema.json", json("[" + "\"x\",".repeat(24) + "\"x\"]"));
    assertTrue(message.endsWith("; and 15 more"), message);
    assertTrue(message.contains("$[9]: string found, number expected"), message);
  }
}
