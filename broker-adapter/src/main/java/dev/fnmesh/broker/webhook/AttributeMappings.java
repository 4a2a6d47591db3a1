package dev.fnmesh.broker.webhook;

import java.util.Objects;
import java.util.Optional;

/**
 * The mappings a webhook declares for the CloudEvent attributes it sets from the request; an empty one
 * leaves the attribute to the provider's preset, or else to its default.
 */
public record AttributeMappings(
    Optional<ValueMapping> type, Optional<ValueMapping> source, Optional<ValueMapping> subject,
    Optional<ValueMapping> id) {

  public static final AttributeMappings NONE =
      new AttributeMappings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public AttributeMappings {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(id, "id");
  }

  /** @param attribute {@code type}, {@code source}, {@code subject} or {@code id} */
  Optional<ValueMapping> forAttribute(String attribute) {
    return switch (attribute) {
      case "type" -> type;
      case "source" -> source;
      case "subject" -> subject;
      case "id" -> id;
      default -> throw new IllegalArgumentException("no mapping for attribute '" + attribute + "'");
    };
  }
}
