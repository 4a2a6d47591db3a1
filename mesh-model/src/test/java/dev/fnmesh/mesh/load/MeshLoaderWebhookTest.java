package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import dev.fnmesh.mesh.SecretRef;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
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
import java.util.Optional;

/**
 * A webhook source: its path, provider, attribute values, signature check (with its signed timestamp) and
 * secret, and their problems.
 */
class MeshLoaderWebhookTest {

  private static final String HEADER_RULE = "must be an HTTP header name such as X-Request-Id: letters, digits and "
      + "'-', no spaces or ':'";

  /** The source of a trigger whose webhook is given as a one-line flow mapping. */
  private static WebhookSource webhookOf(String webhook) {
    return (WebhookSource) parse("""
        functions: { f: { java: f } }
        triggers:
          t:
            webhook: %s
            function: f
        """.formatted(webhook)).triggers().get("t").source();
  }

  @Test
  void shouldReadEveryKeyOfAWebhook() {
    assertEquals(new WebhookSource("github", Optional.of("github"),
            Optional.of(ValueSpec.constant("com.example.push")),
            Optional.of(new ValueSpec(ValueSpec.Kind.HEADER, "X-Sender", "")),
            Optional.of(new ValueSpec(ValueSpec.Kind.POINTER, "/ref", "refs:")),
            Optional.of(new ValueSpec(ValueSpec.Kind.HEADER, "X-Request-Id", "gh-")),
            Optional.of(new HmacSpec("X-Signature", "sha256", "sha256=")),
            Optional.of(new SecretRef(Optional.of("GITHUB_WEBHOOK_SECRET"), Optional.empty()))),
        parse("""
            functions: { f: { java: f } }
            triggers:
              push:
                webhook:
                  path: github
                  provider: github
                  type: com.example.push
                  source: { header: X-Sender }
                  subject: { pointer: /ref, prefix: "refs:" }
                  id: { header: X-Request-Id, prefix: gh- }
                  hmac: { header: X-Signature, algorithm: sha256, prefix: "sha256=" }
                  secret: { env: GITHUB_WEBHOOK_SECRET }
                function: f
            """).triggers().get("push").source());
  }

  @Test
  void shouldLeaveEveryOptionalKeyEmptyWhenOnlyThePathIsGiven() {
    assertEquals(new WebhookSource("orders.v2", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
        webhookOf("{ path: orders.v2 }"));
  }

  @Test
  void shouldDefaultTheHmacAlgorithmToSha256AndItsPrefixToNothingAndReadASecretFile() {
    WebhookSource webhook = webhookOf("{ path: p, hmac: { header: X-Sig }, secret: { file: /run/secrets/p } }");

    assertEquals(Optional.of(new HmacSpec("X-Sig", "sha256", "")), webhook.hmac());
    assertEquals(Optional.of(new SecretRef(Optional.empty(), Optional.of("/run/secrets/p"))), webhook.secret());
  }

  @Test
  void shouldReadAnHmacSha512() {
    WebhookSource webhook = webhookOf("{ path: p, hmac: { header: X-Sig, algorithm: sha512 }, secret: { env: S } }");

    assertEquals(Optional.of(new HmacSpec("X-Sig", "sha512", "")), webhook.hmac());
  }

  @Test
  void shouldReportAProviderGithubWithoutSecretAtTheWebhookKey() {
    assertEquals(problem(4, 5, "triggers.t.webhook", "missing required key \"secret\" (provider github checks "
            + "the X-Hub-Signature-256 signature with it: secret: { env: NAME } or secret: { file: PATH })"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                webhook: { path: gh, provider: github }
                function: f
            """));
  }

  @Test
  void shouldReportAnHmacWithoutSecretAtTheWebhookKey() {
    assertEquals(problem(4, 5, "triggers.t.webhook", "missing required key \"secret\" (a webhook with hmac "
            + "checks signatures with it: secret: { env: NAME } or secret: { file: PATH })"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                webhook: { path: p, hmac: { header: X-Sig } }
                function: f
            """));
  }

  @Test
  void shouldReportAWebhookPathUsedTwiceAtTheSecondOneAndNameTheFirst() {
    assertEquals(problem(6, 19, "triggers.b.webhook.path",
            "the path \"shop\" is already taken by trigger a at line 4; give each webhook its own path"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              a:
                webhook: { path: shop }
                function: f
              b: { webhook: { path: shop }, function: f }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GitHub", "-x", "a/b", "''", "'with space'"})
  void shouldReportAPathThatIsNoUrlSegmentOfTheAllowedCharacters(String path) {
    assertEquals(problem(2, 29, "triggers.t.webhook.path", "must be a URL path segment of lowercase letters, "
            + "digits, '.', '_' or '-', starting with a letter or digit, got \"" + path.replace("'", "") + "\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { path: %s }, function: f } }
            """.formatted(path)));
  }

  @Test
  void shouldReportAMissingPathAndAnUnknownProviderNamingTheKnownOnes() {
    assertEquals(List.of(
            problem(2, 18, "triggers.t.webhook", "missing required key \"path\" "
                + "(the last segment of the URL /webhooks/<path> the events are posted to)"),
            problem(2, 29, "triggers.t.webhook.provider",
                "must be one of github, gitlab, slack, standard-webhooks or stripe, got \"bitbucket\"")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { provider: bitbucket, secret: { env: S } }, function: f } }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"github", "gitlab", "slack", "standard-webhooks", "stripe"})
  void shouldReadEveryKnownProvider(String provider) {
    assertEquals(Optional.of(provider), webhookOf("{ path: p, provider: " + provider + ", secret: { env: S } }")
        .provider());
  }

  @Test
  void shouldReportEveryProviderWithoutSecretNamingWhatItChecks() {
    String form = " with it: secret: { env: NAME } or secret: { file: PATH })";
    assertEquals(List.of(
            problem(3, 8, "triggers.a.webhook", "missing required key \"secret\" (provider gitlab checks the "
                + "X-Gitlab-Token header" + form),
            problem(4, 8, "triggers.b.webhook", "missing required key \"secret\" (provider slack checks the "
                + "X-Slack-Signature signature" + form),
            problem(5, 8, "triggers.c.webhook", "missing required key \"secret\" (provider standard-webhooks checks "
                + "the webhook-signature signature" + form),
            problem(6, 8, "triggers.d.webhook", "missing required key \"secret\" (provider stripe checks the "
                + "Stripe-Signature signature" + form)),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              a: { webhook: { path: a, provider: gitlab }, function: f }
              b: { webhook: { path: b, provider: slack }, function: f }
              c: { webhook: { path: c, provider: standard-webhooks }, function: f }
              d: { webhook: { path: d, provider: stripe }, function: f }
            """));
  }

  @Test
  void shouldReadAnHmacTimestampWithItsToleranceOrTheDefaultOfFiveMinutes() {
    assertEquals(Optional.of(new HmacSpec("X-Sig", "sha256", "v1=",
            Optional.of(new HmacTimestamp("X-Timestamp", Duration.ofSeconds(90))))),
        webhookOf("{ path: p, hmac: { header: X-Sig, prefix: v1=, timestamp: { header: X-Timestamp, "
            + "tolerance: PT90S } }, secret: { env: S } }").hmac());
    assertEquals(Optional.of(new HmacTimestamp("X-Ts", Duration.ofMinutes(5))),
        webhookOf("{ path: p, hmac: { header: X-Sig, timestamp: { header: X-Ts } }, secret: { env: S } }")
            .hmac().orElseThrow().timestamp());
  }

  @Test
  void shouldReportAnHmacTimestampWithoutHeaderABadHeaderAndAZeroOrMalformedTolerance() {
    assertEquals(List.of(
            problem(3, 69, "triggers.a.webhook.hmac.timestamp", "missing required key \"header\" "
                + "(the request header carrying the timestamp)"),
            problem(4, 82, "triggers.b.webhook.hmac.timestamp.header", HEADER_RULE + ", got \"X Ts\""),
            problem(5, 95, "triggers.c.webhook.hmac.timestamp.tolerance",
                "must be a positive ISO-8601 duration such as PT0.2S, PT30S, PT5M or P1D, got \"PT0S\""),
            problem(6, 95, "triggers.d.webhook.hmac.timestamp.tolerance",
                "must be a positive ISO-8601 duration such as PT0.2S, PT30S, PT5M or P1D, got \"5m\"")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              a: { webhook: { path: a, secret: { env: S }, hmac: { header: X-S, timestamp: {} } }, function: f }
              b: { webhook: { path: b, secret: { env: S }, hmac: { header: X-S, timestamp: { header: X Ts } } }, function: f }
              c: { webhook: { path: c, secret: { env: S }, hmac: { header: X-S, timestamp: { header: X-T, tolerance: PT0S } } }, function: f }
              d: { webhook: { path: d, secret: { env: S }, hmac: { header: X-S, timestamp: { header: X-T, tolerance: 5m } } }, function: f }
            """));
  }

  @Test
  void shouldReportEveryMalformedAttributeValue() {
    assertEquals(List.of(
            problem(6, 7, "triggers.t.webhook.type", "must be a non-empty string, got \"\""),
            problem(7, 7, "triggers.t.webhook.source",
                "must say where the value comes from, one of: header, pointer; found none"),
            problem(8, 7, "triggers.t.webhook.subject",
                "must say where the value comes from, one of: header, pointer; found header and pointer"),
            problem(9, 7, "triggers.t.webhook.id",
                "must be a constant string or a mapping with header or pointer, got 3")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                webhook:
                  path: p
                  type: ''
                  source: { prefix: x }
                  subject: { header: X-S, pointer: /s }
                  id: 3
                function: f
            """));
  }

  @Test
  void shouldReportAMalformedHeaderNamePointerAndUnknownValueKey() {
    assertEquals(List.of(
            problem(2, 48, "triggers.t.webhook.source.header", HEADER_RULE + ", got \"X Sender\""),
            problem(2, 79, "triggers.t.webhook.subject.pointer", "must be a JSON pointer into the body such as "
                + "/repository/html_url: '/' before every name, '~' written as ~0 and a '/' inside a name as ~1, "
                + "got \"ref\""),
            problem(2, 115, "triggers.t.webhook.id.stray",
                "unknown key \"stray\"; allowed keys are header, pointer, prefix")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { path: p, source: { header: X Sender }, subject: { pointer: ref }, \
            id: { header: X-Id, stray: 1 } }, function: f } }
            """));
  }

  @Test
  void shouldReportABadHmacAndASecretWithBothOrNeitherPlace() {
    assertEquals(List.of(
            problem(5, 15, "triggers.t.webhook.hmac.header", HEADER_RULE + ", got \"X:Sig\""),
            problem(5, 32, "triggers.t.webhook.hmac.algorithm", "must be sha256 or sha512, got \"sha1\""),
            problem(6, 7, "triggers.t.webhook.secret",
                "must name exactly one place to read the secret from, one of: env, file; found env and file"),
            problem(9, 28, "triggers.u.webhook.hmac", "missing required key \"header\" "
                + "(the request header carrying the signature)"),
            problem(9, 38, "triggers.u.webhook.secret",
                "must name exactly one place to read the secret from, one of: env, file; found none"),
            problem(10, 38, "triggers.v.webhook.secret.env", "must be an environment variable name: letters, digits "
                + "and '_', not starting with a digit, got \"1-SECRET\"")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                webhook:
                  hmac: { header: 'X:Sig', algorithm: sha1 }
                  secret: { env: S, file: /s }
                  path: t
                function: f
              u: { webhook: { path: u, hmac: {}, secret: {} }, function: f }
              v: { webhook: { path: v, secret: { env: 1-SECRET } }, function: f }
            """));
  }

  @Test
  void shouldReportAMistypedWebhookKeyWithASuggestion() {
    assertEquals(problem(2, 38, "triggers.t.webhook.typ", "unknown key \"typ\" (did you mean \"type\"?); "
            + "allowed keys are path, provider, type, source, subject, id, hmac, secret, dedup"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { path: a, typ: x }, function: f } }
            """));
  }
}
