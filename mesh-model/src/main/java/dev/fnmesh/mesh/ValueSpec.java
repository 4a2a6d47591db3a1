package dev.fnmesh.mesh;

import java.util.Objects;

/**
 * How a webhook computes one attribute of the events it makes: a constant, or a request header or a JSON
 * pointer into the request body, with a prefix put before the value found.
 *
 * @param kind where the value comes from
 * @param value the constant itself, the header name or the JSON pointer
 * @param prefix text put before the value found; empty when none, always empty for a constant
 */
public record ValueSpec(Kind kind, String value, String prefix) {

  public ValueSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(prefix, "prefix");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " value must not be empty");
    }
  }

  /** A constant value, written as a plain string in the mesh file. */
  public static ValueSpec constant(String value) {
    return new ValueSpec(Kind.CONSTANT, value, "");
  }

  /** Where a value comes from. */
  public enum Kind {
    /** The value is the given text. */
    CONSTANT,
    /** The value of the named request header. */
    HEADER,
    /** The value at a JSON pointer (RFC 6901) into the request body. */
    POINTER
  }
}
