package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.SecretRef;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one valid function object into a {@link FunctionSpec}: its kind, each key left out at its default,
 * and its config as plain Java values. A value of {@code env:} or {@code config:} that is a reference
 * ({@link SecretRef#in}) is bound as the reference: it is read where the function runs, not here.
 */
final class FunctionBinder {

  private FunctionBinder() {
  }

  static FunctionSpec bind(String name, JsonNode function) {
    return new FunctionSpec(name, kind(function), config(function.path("config")));
  }

  private static FunctionKind kind(JsonNode function) {
    if (function.has("http")) {
      return new HttpKind(URI.create(function.path("http").asText()), concurrency(function), maxWaiting(function),
          function.path("structured").asBoolean(HttpKind.DEFAULT_STRUCTURED));
    }
    if (function.has("command")) {
      return command(function);
    }
    if (function.has("image")) {
      return image(function);
    }
    return new JavaKind(function.path("java").asText(), function.path("blocking").asBoolean(JavaKind.DEFAULT_BLOCKING),
        text(function.path("jar")));
  }

  private static CommandKind command(JsonNode function) {
    List<String> command = new ArrayList<>();
    function.path("command").forEach(item -> command.add(item.asText()));
    JsonNode port = function.path("port");
    return new CommandKind(command,
        port.isIntegralNumber() ? OptionalInt.of(port.intValue()) : OptionalInt.empty(),
        text(function.path("readiness")).map(Duration::parse).orElse(CommandKind.DEFAULT_READINESS),
        text(function.path("workingDir")).orElse(CommandKind.DEFAULT_WORKING_DIR),
        env(function), concurrency(function), maxWaiting(function));
  }

  private static ImageKind image(JsonNode function) {
    return new ImageKind(function.path("image").asText(), function.path("port").asInt(),
        text(function.path("path")).orElse(ImageKind.DEFAULT_PATH),
        text(function.path("readiness")).map(Duration::parse).orElse(ImageKind.DEFAULT_READINESS),
        env(function), text(function.path("memory")), text(function.path("user")).orElse(ImageKind.DEFAULT_USER),
        concurrency(function), maxWaiting(function));
  }

  private static Map<String, Object> env(JsonNode function) {
    Map<String, Object> env = new LinkedHashMap<>();
    function.path("env").properties().forEach(entry -> env.put(entry.getKey(), orReference(entry.getValue())));
    return env;
  }

  private static int concurrency(JsonNode function) {
    return function.path("concurrency").asInt(FunctionKind.DEFAULT_CONCURRENCY);
  }

  private static int maxWaiting(JsonNode function) {
    return function.path("maxWaiting").asInt(FunctionKind.DEFAULT_MAX_WAITING);
  }

  /** The text of a string value; empty for a missing key. */
  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static Map<String, Object> config(JsonNode config) {
    Map<String, Object> values = new LinkedHashMap<>();
    config.properties().forEach(entry -> values.put(entry.getKey(), orReference(entry.getValue())));
    return values;
  }

  /** A top-level value of env: or config:, as its reference when it is one. */
  private static Object orReference(JsonNode value) {
    Object plain = plain(value);
    return SecretRef.in(plain).<Object>map(ref -> ref).orElse(plain);
  }

  /** A JSON value as unmodifiable plain Java: maps, lists, strings, numbers, booleans and null. */
  private static Object plain(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.properties().forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      // Not Map.copyOf: nested values may be null and the file's order is kept.
      return Collections.unmodifiableMap(map);
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(plain(item)));
      return Collections.unmodifiableList(list);
    }
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToInt() ? Integer.valueOf(value.intValue())
          : value.canConvertToLong() ? Long.valueOf(value.longValue()) : value.bigIntegerValue();
    }
    return value.isNumber() ? Double.valueOf(value.doubleValue()) : null;
  }
}
