package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.EventProblem;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudEvents 1.0 rules for context attribute values, checked before an event is accepted so that a
 * refusal names the attribute and what was wrong with it (the SDK's own errors often do not).
 */
final class AttributeRules {

  static final Set<String> SPEC_VERSIONS = Set.of("1.0", "0.3");
  private static final String[] REQUIRED = {"specversion", "id", "source", "type"};
  // The characters of a media type's type and subtype (RFC 6838 restricted-name).
  private static final String MEDIA_TYPE_CHARS = "!#$&^_.+-";

  // A batch's events mostly share one source: its text is parsed once, not once per event.
  private static final RecentUris PARSED_URIS = new RecentUris(256);

  private static final Set<String> CONTEXT_ATTRIBUTES =
      Set.of("specversion", "id", "source", "type", "datacontenttype", "dataschema", "subject", "time");

  private AttributeRules() {}

  static boolean isContextAttribute(String name) {
    return CONTEXT_ATTRIBUTES.contains(name);
  }

  /**
   * Checks attributes given as text, the way every binding carries them.
   *
   * @param attributes attribute name to value, for the context attributes and the extensions
   * @return the first problem found, or empty when the attributes make a valid event
   */
  static Optional<EventProblem> check(Map<String, String> attributes) {
    for (String name : REQUIRED) {
      String value = attributes.get(name);
      if (value == null) {
        return Optional.of(EventProblem.badRequest(name, "required attribute '" + name + "' is missing"));
      }
      if (value.isEmpty()) {
        return Optional.of(EventProblem.badRequest(name, "attribute '" + name + "' must not be empty"));
      }
    }
    String specVersion = attributes.get("specversion");
    if (!SPEC_VERSIONS.contains(specVersion)) {
      return Optional.of(EventProblem.badRequest("specversion",
          "unsupported specversion '" + specVersion + "', expected 1.0 (or 0.3)"));
    }
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      Optional<EventProblem> problem = checkOne(attribute.getKey(), attribute.getValue());
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<EventProblem> checkOne(String name, String value) {
    if (!isValidName(name)) {
      return Optional.of(EventProblem.badRequest(name,
          "attribute name '" + name + "' is invalid: CloudEvents attribute names are lower-case letters and digits"));
    }
    Optional<String> unusable = CloudEventStrings.problem(value);
    if (unusable.isPresent()) {
      return Optional.of(EventProblem.badRequest(name, "attribute '" + name + "' " + unusable.get()));
    }
    return switch (name) {
      case "source" -> uriReference(name, value, false);
      case "dataschema" -> uriReference(name, value, true);
      case "time" -> timestamp(value);
      case "datacontenttype" -> isMediaType(value)
          ? Optional.empty()
          : Optional.of(EventProblem.badRequest(name,
              "datacontenttype '" + value + "' is not a media type like 'application/json'"));
      case "subject" -> value.isEmpty()
          ? Optional.of(EventProblem.badRequest(name, "attribute 'subject' must not be empty when present"))
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  /**
   * CloudEvents 1.0 "Attribute Naming Convention": lower-case ASCII letters and digits only. Checked by
   * hand, not with a regular expression: it runs for every attribute of every event.
   */
  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** {@code type/subtype}, then optional white space, then parameters after a {@code ;} on the same line. */
  static boolean isMediaType(String value) {
    int slash = value.indexOf('/');
    int end = token(value, 0);
    if (end == 0 || end != slash) {
      return false;
    }
    int subtypeEnd = token(value, slash + 1);
    if (subtypeEnd == slash + 1) {
      return false;
    }
    int i = subtypeEnd;
    while (i < value.length() && " \t\n\u000B\f\r".indexOf(value.charAt(i)) >= 0) {
      i++;
    }
    if (i == value.length()) {
      return true;
    }
    if (value.charAt(i) != ';') {
      return false;
    }
    // Parameters: anything on the same line.
    for (int j = i + 1; j < value.length(); j++) {
      if ("\n\r\u0085\u2028\u2029".indexOf(value.charAt(j)) >= 0) {
        return false;
      }
    }
    return true;
  }

  // Where the run of media type characters starting at from ends.
  private static int token(String value, int from) {
    int i = from;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || MEDIA_TYPE_CHARS.indexOf(c) >= 0)) {
        break;
      }
      i++;
    }
    return i;
  }

  private static Optional<EventProblem> uriReference(String name, String value, boolean absolute) {
    try {
      URI uri = PARSED_URIS.parse(value);
      if (absolute && !uri.isAbsolute()) {
        return Optional.of(EventProblem.badRequest(name, name + " '" + value + "' must be an absolute URI"));
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of(EventProblem.badRequest(name,
          name + " '" + value + "' is not a URI reference: " + e.getReason()));
    }
  }

  private static Optional<EventProblem> timestamp(String value) {
    try {
      OffsetDateTime.parse(value);
      return Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.of(EventProblem.badRequest("time",
          "time '" + value + "' is not an RFC 3339 timestamp like '2026-11-29T15:04:05Z'"));
    }
  }
}
