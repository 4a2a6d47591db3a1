package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads JSON Schema files from one directory and compiles them: the dialect is the file's {@code $schema}
 * (draft 2020-12 when absent; 2019-09, 07, 06 and 04 are known too), the file must be valid against its
 * meta-schema, and {@code $ref}s may point to other files of the directory but never outside it nor to the
 * network. Thread-safe.
 */
public final class SchemaDirectory {

  static final String DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema";
  /** How many validation messages one refusal lists at most; a large array can break a schema thousands of times. */
  static final int MAX_MESSAGES = 10;

  private final Path directory;
  private final SchemaRegistry registry;

  public SchemaDirectory(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    // English messages whatever the machine's locale, and instance paths written as $.a.b as users read them.
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .locale(Locale.ENGLISH)
        .pathType(PathType.JSON_PATH)
        .build();
    this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaRegistryConfig(config).schemas(this::referencedFile));
  }

  public Path directory() {
    return directory;
  }

  /**
   * Reads, checks and compiles one schema.
   *
   * @param name the file's path relative to the directory, e.g. {@code order.schema.json}
   * @throws IllegalArgumentException naming the schema and the problem when it is outside the directory,
   *     missing, not JSON, not valid against its meta-schema or not compilable (e.g. an unresolvable $ref)
   */
  public Schema load(String name) {
    Path file = resolve(name);
    JsonNode node = read(name, file);
    String dialect = node.path("$schema").asText(DEFAULT_DIALECT);
    List<Error> metaErrors = metaSchema(name, dialect).validate(node);
    if (!metaErrors.isEmpty()) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' is not a valid schema of dialect " + dialect
          + ": " + messages(metaErrors));
    }
    try {
      Schema schema = registry.getSchema(SchemaLocation.of(file.toUri().toString()), node);
      // Validators are otherwise built on first use: build them now so that a bad $ref fails here.
      schema.initializeValidators();
      return schema;
    } catch (SchemaException | UncheckedIOException e) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' cannot be compiled: " + reason(e), e);
    }
  }

  /** Validation errors as one line: "$.amount: string found, number expected; ...", distinct and capped. */
  public static String messages(List<Error> errors) {
    List<String> distinct = errors.stream().map(Error::toString).distinct().toList();
    String shown = distinct.stream().limit(MAX_MESSAGES).collect(Collectors.joining("; "));
    return distinct.size() > MAX_MESSAGES ? shown + "; and " + (distinct.size() - MAX_MESSAGES) + " more" : shown;
  }

  private String reason(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof FileNotFoundException missing) {
        return "$ref target " + missing.getMessage() + " cannot be read: a $ref may name files inside "
            + directory + " only, and nothing is fetched from the network";
      }
    }
    return e.getMessage();
  }

  private Path resolve(String name) {
    Path file;
    try {
      file = directory.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("JSON Schema name '" + name + "' is not a valid file path", e);
    }
    if (name.isBlank() || Path.of(name).isAbsolute() || !file.startsWith(directory)) {
      throw new IllegalArgumentException("JSON Schema name '" + name
          + "' must be a relative path of a file inside " + directory);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' not found: no file " + file);
    }
    return file;
  }

  private JsonNode read(String name, Path file) {
    try {
      JsonNode node = JsonEventData.parse(Files.readAllBytes(file));
      if (node == null) {
        throw new IllegalArgumentException("JSON Schema '" + name + "' is empty: " + file);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' is not valid JSON: "
          + JsonEventData.describe(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' cannot be read from " + file + ": " + e, e);
    }
  }

  private Schema metaSchema(String name, String dialect) {
    try {
      return registry.getSchema(SchemaLocation.of(dialect));
    } catch (SchemaException | IllegalArgumentException e) {
      throw new IllegalArgumentException("JSON Schema '" + name + "' names an unknown $schema '" + dialect
          + "': expected " + DEFAULT_DIALECT + " or http://json-schema.org/draft-07/schema#", e);
    }
  }

  /**
   * Serves a $ref to another file of the directory; null for anything else, which the validator then
   * refuses: remote fetching is off in its default loader, and files outside the directory stay unread.
   */
  private String referencedFile(String iri) {
    if (!iri.startsWith("file:")) {
      return null;
    }
    Path file;
    try {
      file = Path.of(URI.create(iri)).normalize();
    } catch (IllegalArgumentException e) {
      // Not a plain file path (a query, an authority): not one of our files; the validator names the $ref.
      return null;
    }
    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
