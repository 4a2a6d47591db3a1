package dev.fnmesh.host.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MeshRedactionTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void environmentAndConfigValuesAreHiddenButTheirKeysStay() throws Exception {
    JsonNode mesh = YAML.readTree("""
        functions:
          resize:
            command: [python3, main.py]
            env: { DB_PASSWORD: hunter2, MODE: fast }
            config: { token: abc, sizes: [1, 2], nested: { key: value }, ms: 5 }
        """);

    MeshRedaction.redact(mesh);

    JsonNode resize = mesh.path("functions").path("resize");
    assertEquals("{\"DB_PASSWORD\":\"<redacted>\",\"MODE\":\"<redacted>\"}", resize.path("env").toString());
    assertEquals("{\"token\":\"<redacted>\",\"sizes\":[\"<redacted>\",\"<redacted>\"],"
        + "\"nested\":{\"key\":\"<redacted>\"},\"ms\":\"<redacted>\"}", resize.path("config").toString());
    assertEquals("[\"python3\",\"main.py\"]", resize.path("command").toString());
  }

  @Test
  void secretReferencesOfEnvAndConfigAreShownAsWrittenAndLiteralsBesideThemHidden() throws Exception {
    JsonNode mesh = YAML.readTree("""
        functions:
          resize:
            command: [python3, main.py]
            env: { TOKEN: { env: SOME_VAR }, KEY: { file: /run/secrets/key }, MODE: fast }
          greet:
            java: greeter
            config: { token: { file: token.txt }, output: { file: out.csv, mode: append }, plain: hunter2 }
        """);

    MeshRedaction.redact(mesh);

    assertEquals("{\"TOKEN\":{\"env\":\"SOME_VAR\"},\"KEY\":{\"file\":\"/run/secrets/key\"},"
        + "\"MODE\":\"<redacted>\"}", mesh.at("/functions/resize/env").toString());
    assertEquals("{\"token\":{\"file\":\"token.txt\"},\"output\":{\"file\":\"<redacted>\",\"mode\":\"<redacted>\"},"
        + "\"plain\":\"<redacted>\"}", mesh.at("/functions/greet/config").toString());
  }

  @Test
  void theUserAndPasswordOfAnHttpFunctionsUrlAreHidden() throws Exception {
    JsonNode mesh = YAML.readTree("""
        functions:
          a: { http: "https://user:s3cret@api.example.com:8443/hook?x=1" }
          b: { http: "http://localhost:8000/" }
          c: { http: "http://token@example.com" }
        """);

    MeshRedaction.redact(mesh);

    assertEquals("https://<redacted>@api.example.com:8443/hook?x=1", mesh.at("/functions/a/http").asText());
    assertEquals("http://localhost:8000/", mesh.at("/functions/b/http").asText());
    assertEquals("http://<redacted>@example.com", mesh.at("/functions/c/http").asText());
  }

  @Test
  void everySecretReferenceIsHiddenWhereverItStands() throws Exception {
    JsonNode mesh = YAML.readTree("""
        triggers:
          push: { webhook: { path: github, provider: github, secret: { env: GITHUB_SECRET } }, function: f }
        """);

    MeshRedaction.redact(mesh);

    assertEquals("<redacted>", mesh.at("/triggers/push/webhook/secret").asText());
    assertEquals("github", mesh.at("/triggers/push/webhook/path").asText());
  }
}
