package dev.fnmesh.broker;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.fnmesh.broker.impl.JsonEventData;
import dev.fnmesh.broker.impl.SchemaDirectory;
import io.cloudevents.CloudEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas a trigger's {@code dataschema:} names, read from the schemas directory and compiled once
 * each, and the check of an event's data against one of them. Thread-safe: validations run concurrently
 * on any thread; a schema is compiled by the first caller that needs it and then shared.
 */
public final class DataSchemas {

  private final SchemaDirectory directory;
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  /** @param directory the schemas directory; schema names are paths relative to it */
  public DataSchemas(Path directory) {
    this.directory = new SchemaDirectory(directory);
  }

  /** The schemas directory, absolute. */
  public Path directory() {
    return directory.directory();
  }

  /**
   * Loads and compiles a schema unless it already was, so that a mesh naming a broken schema is refused
   * before it runs.
   *
   * @param schemaName a path relative to the directory, e.g. {@code order.schema.json}
   * @throws IllegalArgumentException naming the schema and the problem: a name outside the directory, a
   *     missing file, a file that is not JSON, not a valid schema of its dialect, or has an unresolvable $ref
   */
  public void check(String schemaName) {
    schema(schemaName);
  }

  /**
   * Checks an event's data against a schema. The data must be JSON: its {@code datacontenttype} is JSON or
   * absent, and it parses.
   *
   * @return empty when the data is valid; else a 400 problem at field {@code data} whose message lists the
   *     validator's findings, e.g. {@code data does not match schema order.schema.json: $.amount: string
   *     found, number expected}
   * @throws IllegalArgumentException as {@link #check} when the schema cannot be loaded
   */
  public Optional<EventProblem> validate(String schemaName, CloudEvent event) {
    Schema schema = schema(schemaName);
    JsonEventData data = JsonEventData.read(event, schemaName);
    if (data.problem() != null) {
      return Optional.of(data.problem());
    }
    List<Error> errors = schema.validate(data.node());
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(EventProblem.badRequest("data",
        "data does not match schema " + schemaName + ": " + SchemaDirectory.messages(errors)));
  }

  private Schema schema(String schemaName) {
    Objects.requireNonNull(schemaName, "schemaName");
    // A failed load caches nothing, so a schema file added later is picked up by the next call.
    return compiled.computeIfAbsent(schemaName, directory::load);
  }
}
