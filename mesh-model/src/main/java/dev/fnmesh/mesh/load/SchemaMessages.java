package dev.fnmesh.mesh.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Words schema violations for people: what is wrong, what is expected and the value found. The expectation
 * comes from the schema itself: its {@code errorMessage} phrase when it has one (the ajv-errors convention,
 * a string or a mapping from keyword to string), else its type, range and enumeration; so a constraint and
 * its wording change together.
 */
final class SchemaMessages {

  /** The schema keyword holding the phrase of a problem. */
  static final String ERROR_MESSAGE = "errorMessage";
  private static final int MAX_SHOWN_LENGTH = 80;
  private static final int MAX_REF_HOPS = 16;

  private final JsonNode root;

  SchemaMessages(JsonNode root) {
    this.root = root;
  }

  /** The schema a local {@code $ref} points to, or the schema itself when it has none. */
  JsonNode resolve(JsonNode schema) {
    // Bounded: a $ref cycle is a broken schema, not a reason to hang the loader.
    for (int hop = 0; hop < MAX_REF_HOPS && schema.path("$ref").asText("").startsWith("#"); hop++) {
      schema = root.at(schema.path("$ref").asText().substring(1));
    }
    return schema;
  }

  /** For a key the object's schema does not declare. */
  String unknownKey(String key, JsonNode objectSchema) {
    List<String> allowed = names(objectSchema.path("properties"));
    StringBuilder message = new StringBuilder("unknown key ").append(quote(key));
    closest(key, allowed).ifPresent(match -> message.append(" (did you mean ").append(quote(match)).append("?)"));
    return message.append(allowed.isEmpty() ? "; no keys are allowed here" : "; allowed keys are "
        + String.join(", ", allowed)).toString();
  }

  /** For a required key the object lacks; the key's description says what it is for. */
  String missingKey(String key, JsonNode objectSchema) {
    JsonNode property = objectSchema.path("properties").path(key);
    String description = property.path("description").asText(resolve(property).path("description").asText(""));
    return "missing required key " + quote(key) + (description.isEmpty() ? "" : " (" + description + ")");
  }

  /** For an object whose keys match not exactly one oneOf branch; branches each require one kind key. */
  String notExactlyOne(JsonNode objectSchema, JsonNode instance) {
    List<String> choices = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (JsonNode branch : objectSchema.path("oneOf")) {
      for (JsonNode required : branch.path("required")) {
        choices.add(required.asText());
        if (instance != null && instance.has(required.asText())) {
          present.add(required.asText());
        }
      }
    }
    return custom(objectSchema, "oneOf").orElse("must have exactly one of these keys")
        + ", one of: " + String.join(", ", choices)
        + "; found " + (present.isEmpty() ? "none" : String.join(" and ", present));
  }

  /** For a value that breaks a constraint of its schema, such as its type, range, pattern or enumeration. */
  String invalidValue(JsonNode schema, String keyword, JsonNode value) {
    String message = expectation(schema, keyword) + ", got " + describe(value);
    boolean scalar = value != null && (value.isNumber() || value.isBoolean());
    if ("type".equals(keyword) && "string".equals(schema.path("type").asText()) && scalar
        && matchesPattern(schema, value.asText())) {
      // YAML reads 123 or true as a number or boolean; quoting is the fix a user may not think of, but only
      // when the quoted text would then be accepted: 30 for a duration needs more than quotes.
      message += "; put it in quotes to make it a string";
    }
    return message;
  }

  private static boolean matchesPattern(JsonNode schema, String text) {
    JsonNode pattern = schema.path("pattern");
    // The schema's patterns use only the syntax ECMA-262 and java.util.regex share.
    return !pattern.isTextual() || Pattern.compile(pattern.asText()).matcher(text).find();
  }

  private String expectation(JsonNode schema, String keyword) {
    Optional<String> custom = custom(schema, keyword);
    if (custom.isPresent()) {
      return custom.get();
    }
    if (schema.has("enum")) {
      List<String> values = new ArrayList<>();
      schema.path("enum").forEach(value -> values.add(value.asText()));
      return "must be " + (values.size() > 2 ? "one of " : "") + orList(values);
    }
    String type = schema.path("type").asText("");
    return switch (type) {
      case "integer" -> "must be " + range("an integer", schema);
      case "number" -> "must be " + range("a number", schema);
      case "boolean" -> "must be true or false";
      case "object" -> "must be a mapping";
      case "array" -> "must be a list";
      case "string" -> schema.path("minLength").asInt(0) > 0 ? "must be a non-empty string" : "must be a string";
      default -> "must satisfy the schema keyword " + keyword;
    };
  }

  private static String range(String noun, JsonNode schema) {
    JsonNode min = schema.path("minimum");
    JsonNode max = schema.path("maximum");
    if (min.isNumber() && max.isNumber()) {
      return noun + " between " + min.asText() + " and " + max.asText();
    }
    if (min.isNumber()) {
      return noun + " of at least " + min.asText();
    }
    return max.isNumber() ? noun + " of at most " + max.asText() : noun;
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  private static String orList(List<String> values) {
    int last = values.size() - 1;
    return last < 1 ? String.join("", values) : String.join(", ", values.subList(0, last)) + " or " + values.get(last);
  }

  private static Optional<String> custom(JsonNode schema, String keyword) {
    JsonNode phrase = schema.path(ERROR_MESSAGE);
    if (phrase.isObject()) {
      phrase = phrase.path(keyword);
    }
    return phrase.isTextual() ? Optional.of(phrase.asText()) : Optional.empty();
  }

  /** How a value found in the file is shown: strings quoted and shortened, collections by kind. */
  static String describe(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "an empty value";
    }
    if (value.isObject()) {
      return value.isEmpty() ? "an empty mapping" : "a mapping";
    }
    if (value.isArray()) {
      return value.isEmpty() ? "an empty list" : "a list";
    }
    if (value.isTextual()) {
      String text = value.asText();
      return quote(text.length() > MAX_SHOWN_LENGTH ? text.substring(0, MAX_SHOWN_LENGTH - 3) + "..." : text);
    }
    return value.asText();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.properties().forEach(entry -> names.add(entry.getKey()));
    return names;
  }

  /** The allowed key a typo most likely meant: at most two edits away, ignoring case. */
  static Optional<String> closest(String key, List<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
