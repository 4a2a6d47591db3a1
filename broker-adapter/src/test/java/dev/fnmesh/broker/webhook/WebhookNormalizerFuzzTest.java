package dev.fnmesh.broker.webhook;


import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.broker.EventInputs;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.webhook.signature.Verdict;
import dev.fnmesh.mesh.ValueSpec;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whatever a webhook request carries, and however its webhook computes the attributes, the request becomes
 * an event that consumers can read back from Kafka, or a 400 naming the attribute (a 401 for a signature);
 * it never throws.
 */
class WebhookNormalizerFuzzTest {

  private static final List<String> BODIES = EventInputs.lines("fuzz/webhook/bodies.txt");
  private static final List<String> HEADERS = List.of("X-Event", "X-GitHub-Event", "X-GitHub-Delivery",
      "X-Hub-Signature-256", "X-Request-Id", "content-type", "Content-Type");
  private static final List<String> POINTERS = List.of("/ref", "/repository/html_url", "/repository", "/a/b/2/c",
      "/a/b/9", "/a/b/-", "/~0", "/~1", "/", "/0", "/subject", "/id", "/hook/type");
  private static final List<String> PREFIXES = List.of("", "com.example.", "gh-", " ", "%", "é", "/");
  private static final Set<String> ATTRIBUTES = Set.of("id", "type", "source", "subject");
  private static final WebhookNormalizer NORMALIZER = new WebhookNormalizer();
  private static final String GITHUB_HEADER = "X-Hub-Signature-256";

  @Property(seed = "9001", tries = 1200)
  void anyRequestBecomesAnEventOrIsRefusedNamingTheAttribute(@ForAll("webhooks") WebhookTrigger webhook,
      @ForAll("headers") List<Map.Entry<String, String>> headers, @ForAll("bodies") byte[] body) {
    Normalized normalized = NORMALIZER.normalize(webhook, headers(headers), body);

    if (normalized instanceof Normalized.Refused refused) {
      EventProblem problem = refused.problem();
      assertEquals(400, problem.status(), problem::toString);
      assertTrue(ATTRIBUTES.contains(problem.field()), problem::toString);
      assertFalse(problem.message().isBlank(), problem::toString);
      return;
    }
    CloudEvent event = ((Normalized.Accepted) normalized).event();
    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord(webhook.spec().topic(), event, null);
    ConsumerRecord<byte[], byte[]> fetched = new ConsumerRecord<>(written.topic(), 0, 0L, null, written.value());
    written.headers().forEach(header -> fetched.headers().add(header));
    String id = CloudEventRecords.fromRecord(fetched).getId();
    assertTrue(event.getId().equals(id), () -> "id " + escaped(event.getId()) + " read back as " + escaped(id));
  }

  // Ids may hold control characters, which would cut a report short.
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }

  @Property(seed = "9002", tries = 1000)
  void anySignatureHeaderIsAcceptedOnlyWhenItSignsTheBody(@ForAll("signatures") String signature,
      @ForAll("bodies") byte[] body) {
    MultiMap headers = headers(List.of(Map.entry(GITHUB_HEADER, signature)));

    Verdict verdict = Provider.GITHUB.scheme().verify(SECRET, headers, body, Instant.now());

    if (verdict instanceof Verdict.Refused refused) {
      assertEquals(401, refused.problem().status());
      assertEquals(GITHUB_HEADER, refused.problem().field());
    } else {
      assertEquals(githubSignature(body), signature.strip());
    }
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void everyBodyOfTheCorpusBecomesAGithubEventOrIsRefused(@ForAll("corpus") String body) {
    Normalized normalized = NORMALIZER.normalize(TestWebhooks.github("github", "pushes"),
        headers(List.of(Map.entry("X-GitHub-Event", "push"))), body.getBytes(StandardCharsets.UTF_8));

    assertTrue(normalized instanceof Normalized.Accepted || ((Normalized.Refused) normalized).problem().status() == 400);
  }

  @Example
  void aValueFoundHoldingAnUnpairedSurrogateIsRefusedNamingTheAttribute() {
    WebhookTrigger webhook = TestWebhooks.generic("hook", "hooks",
        TestWebhooks.values(null, null, null, TestWebhooks.pointer("/id")));

    Normalized normalized = NORMALIZER.normalize(webhook, MultiMap.caseInsensitiveMultiMap(),
        "{\"id\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8));

    assertEquals(new Normalized.Refused(EventProblem.badRequest("id", "id: the value found holds half of a surrogate "
        + "pair, U+D800, at index 0; CloudEvents strings may not hold control characters, noncharacters or unpaired "
        + "surrogates")), normalized);
  }

  /** The headers as a server hands them over; a name or value no HTTP parser lets through is skipped. */
  private static MultiMap headers(List<Map.Entry<String, String>> entries) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    try {
      entries.forEach(entry -> headers.add(entry.getKey(), entry.getValue()));
    } catch (IllegalArgumentException invalidHeader) {
      Assume.that(false);
    }
    return headers;
  }

  @Provide
  Arbitrary<WebhookTrigger> webhooks() {
    Arbitrary<ValueSpec> constants = EventInputs.attributeValues().filter(value -> !value.isEmpty())
        .map(ValueSpec::constant);
    Arbitrary<ValueSpec> fromHeaders = Combinators.combine(Arbitraries.of(HEADERS), Arbitraries.of(PREFIXES))
        .as((name, prefix) -> new ValueSpec(ValueSpec.Kind.HEADER, name, prefix));
    Arbitrary<ValueSpec> fromPointers = Combinators.combine(Arbitraries.of(POINTERS), Arbitraries.of(PREFIXES))
        .as((pointer, prefix) -> new ValueSpec(ValueSpec.Kind.POINTER, pointer, prefix));
    Arbitrary<ValueSpec> value = Arbitraries.frequencyOf(Tuple.of(2, constants), Tuple.of(3, fromHeaders),
        Tuple.of(3, fromPointers), Tuple.of(2, Arbitraries.just(null)));
    Arbitrary<WebhookTrigger> generic = Combinators.combine(value, value, value, value)
        .as((type, source, subject, id) -> TestWebhooks.generic("hook", "hooks",
            TestWebhooks.values(type, source, subject, id)));
    Arbitrary<WebhookTrigger> github = Combinators.combine(value, value, value, value)
        .as((type, source, subject, id) -> TestWebhooks.github("github", "pushes",
            TestWebhooks.values(type, source, subject, id), Optional.empty()));
    return Arbitraries.oneOf(generic, github);
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> headers() {
    Arbitrary<String> names = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(HEADERS)),
        Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(8)));
    return Arbitraries.entries(names, EventInputs.attributeValues()).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, EventInputs.around(BODIES, List.of("{", "}", "[", "]", ",", ":", "\"", "null", "\"\"", "1e999"))
            .map(text -> text.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(1, EventInputs.bytes()));
  }

  @Provide
  Arbitrary<String> signatures() {
    byte[] signed = BODIES.get(0).getBytes(StandardCharsets.UTF_8);
    return EventInputs.around(List.of(githubSignature(signed), "sha256=", ""),
        List.of("sha256=", "0", "f", "F", "g", " ", "=", "ff".repeat(32), "ff".repeat(64)));
  }

  @Provide
  Arbitrary<String> corpus() {
    return Arbitraries.of(BODIES);
  }

  /** The signature GitHub sends: {@code sha256=} and the hex HMAC-SHA256 of the body under the secret. */
  private static String githubSignature(byte[] body) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
      return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
