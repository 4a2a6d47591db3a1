package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the functions for what the schema cannot say: a key of another kind than the function's (blocking
 * on an http function), an http URL that does not parse or has no host, a zero readiness and an image function without a numeric port. Tolerates a
 * document that breaks the schema, looking only at values of the expected type, so that these problems are
 * reported with the others.
 */
final class FunctionChecks {

  /** How an http URL is described, word for word as in the schema's {@code http} errorMessage. */
  static final String URL_RULE = "must be an absolute http or https URL such as http://127.0.0.1:9100/";

  /** The kind keys, in the order of the schema's oneOf branches. */
  static final List<String> KINDS = List.of("java", "http", "command", "image");

  /** Each key that belongs to some kinds only, with those kinds; the schema's descriptions say the same. */
  static final Map<String, List<String>> KIND_KEYS = kindKeys();

  private final YamlDocument document;
  private final List<MeshProblem> problems = new ArrayList<>();

  private FunctionChecks(YamlDocument document) {
    this.document = document;
  }

  /** Every such problem of the document's functions, each at the key concerned; empty when there is none. */
  static List<MeshProblem> check(YamlDocument document) {
    FunctionChecks checks = new FunctionChecks(document);
    document.root().path("functions").properties().forEach(entry -> checks.function(entry.getKey(), entry.getValue()));
    return checks.problems;
  }

  private void function(String name, JsonNode function) {
    List<String> kinds = KINDS.stream().filter(function::has).toList();
    // With no kind or several, the schema reports the kind keys; which keys belong is then undecided.
    if (kinds.size() == 1) {
      foreignKeys(name, function, kinds.get(0));
    }
    url(List.of("functions", name, "http"), function.path("http"));
    if (kinds.equals(List.of("image")) && !function.path("port").isIntegralNumber()) {
      // The schema lets a command function's port be auto; a container's port is the image's to say.
      report(List.of("functions", name, "port"), "image functions need the port their server listens on inside"
          + " the container, a number such as 8080, got " + (function.has("port")
          ? SchemaMessages.describe(function.path("port")) : "nothing"));
    }
    positive(List.of("functions", name, "readiness"), function.path("readiness"));
  }

  private void foreignKeys(String name, JsonNode function, String kind) {
    KIND_KEYS.forEach((key, owners) -> {
      if (function.has(key) && !owners.contains(kind)) {
        report(List.of("functions", name, key), "applies to " + listed(owners) + " functions only, "
            + "and this is " + article(kind) + " " + kind + " function: remove it");
      }
    });
  }

  /**
   * Reports a URL that java.net.URI cannot parse or that has no host, such as http://a|b/ or http://:80/.
   * It is worded as the schema words a URL breaking its pattern, so the loader merges the two.
   */
  private void url(List<String> at, JsonNode url) {
    if (url.isTextual() && !isHttpUrl(url.asText())) {
      report(at, URL_RULE + ", got " + SchemaMessages.describe(url));
    }
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private void positive(List<String> at, JsonNode duration) {
    PositiveDuration.problem(duration).ifPresent(problem -> report(at, problem));
  }

  /** "http", "http and command", "http, command and image": as the schema's descriptions list kinds. */
  private static String listed(List<String> kinds) {
    int last = kinds.size() - 1;
    return last == 0 ? kinds.get(0) : String.join(", ", kinds.subList(0, last)) + " and " + kinds.get(last);
  }

  private static String article(String kind) {
    return "http".equals(kind) || "image".equals(kind) ? "an" : "a";
  }

  private static Map<String, List<String>> kindKeys() {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    keys.put("jar", List.of("java"));
    keys.put("blocking", List.of("java"));
    keys.put("structured", List.of("http"));
    keys.put("concurrency", List.of("http", "command", "image"));
    keys.put("maxWaiting", List.of("http", "command", "image"));
    keys.put("port", List.of("command", "image"));
    keys.put("readiness", List.of("command", "image"));
    keys.put("workingDir", List.of("command"));
    keys.put("env", List.of("command", "image"));
    keys.put("path", List.of("image"));
    keys.put("memory", List.of("image"));
    keys.put("user", List.of("image"));
    return Collections.unmodifiableMap(keys);
  }

  private void report(List<?> at, String message) {
    problems.add(document.problemAt(at, message));
  }
}
