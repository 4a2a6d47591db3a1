package dev.fnmesh.broker.webhook;

import com.fasterxml.jackson.core.JsonPointer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one CloudEvent attribute of a webhook event comes from: a constant, a request header or a JSON
 * pointer into the body. The value a header or pointer finds may get a prefix prepended.
 */
public sealed interface ValueMapping {

  /** RFC 9110 token characters: what a header name may consist of. */
  Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** How the mapping reads in a message, e.g. {@code header X-GitHub-Event}. */
  String describe();

  static ValueMapping constant(String value) {
    return new Constant(value);
  }

  static ValueMapping header(String name) {
    return new Header(name, "");
  }

  static ValueMapping header(String name, String prefix) {
    return new Header(name, prefix);
  }

  static ValueMapping pointer(String pointer) {
    return new Pointer(pointer, "");
  }

  static ValueMapping pointer(String pointer, String prefix) {
    return new Pointer(pointer, prefix);
  }

  /** The same value for every request. */
  record Constant(String value) implements ValueMapping {
    public Constant {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("a constant mapping must be a non-empty string, got '" + value + "'");
      }
    }

    @Override
    public String describe() {
      return "constant '" + value + "'";
    }
  }

  /** The value of a request header (the first one when repeated), with {@code prefix} prepended. */
  record Header(String name, String prefix) implements ValueMapping {
    public Header {
      if (name == null || !HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header '" + name + "' is not a valid HTTP header name");
      }
      Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public String describe() {
      return "header " + name;
    }
  }

  /** The string, number or boolean an RFC 6901 JSON pointer finds in the body, with {@code prefix} prepended. */
  record Pointer(String pointer, String prefix) implements ValueMapping {
    public Pointer {
      if (pointer == null || !pointer.startsWith("/")) {
        throw new IllegalArgumentException("JSON pointer '" + pointer + "' must start with '/', e.g. /repository/html_url");
      }
      JsonPointer.compile(pointer);
      Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public String describe() {
      return "pointer " + pointer;
    }
  }
}
