package dev.fnmesh.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.load.YamlDocument;
import dev.fnmesh.mesh.load.YamlSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an access file the way the mesh file is read: the same YAML limits, checked against
 * {@code schemas/access.schema.json}, every problem reported at once with its line and key. Thread-safe.
 */
public final class AccessLoader {

  static final String SCHEMA = "schemas/access.schema.json";

  private final YamlSchema schema = YamlSchema.fromClasspath(SCHEMA);

  /** @throws AccessFileException when the file cannot be read or is not a valid access file */
  public AccessPolicy load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AccessFileException(List.of(new MeshProblem(file.toString(), 0, 0, "",
          "cannot read the access file: " + e.getClass().getSimpleName() + " " + e.getMessage())));
    }
    return parse(text, file.toString());
  }

  /** @throws AccessFileException when the text is not a valid access file */
  public AccessPolicy parse(String text, String source) {
    if (text.isBlank()) {
      throw new AccessFileException(List.of(new MeshProblem(source, 1, 1, "",
          "the file is empty: expected a mapping with the top-level keys clients and jwt")));
    }
    YamlDocument document;
    try {
      document = YamlDocument.compose(text, source);
    } catch (MeshException e) {
      throw new AccessFileException(e.problems());
    }
    List<MeshProblem> problems = new ArrayList<>(document.problems());
    problems.addAll(schema.validate(document));
    if (problems.isEmpty()) {
      problems.addAll(identified(document));
    }
    if (!problems.isEmpty()) {
      throw new AccessFileException(problems.stream().distinct().toList());
    }
    return bind(document.root());
  }

  /** Every client needs a way to prove who it is; the schema cannot say "at least one of" in words. */
  private static List<MeshProblem> identified(YamlDocument document) {
    List<MeshProblem> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = document.root().path("clients").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> client = it.next();
      if (!client.getValue().has("token") && !client.getValue().has("certificateSubject")) {
        problems.add(document.problemAt(List.of("clients", client.getKey()), "the client has no way to prove"
            + " who it is: give it a token ({ env: NAME }, { file: PATH } or { sha256: HEX }) or a certificateSubject"));
      }
    }
    return problems;
  }

  private static AccessPolicy bind(JsonNode root) {
    List<AccessClient> clients = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("clients").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode client = entry.getValue();
      clients.add(new AccessClient(entry.getKey(), token(client.path("token")), text(client, "certificateSubject"),
          new Grants(strings(client.path("publish")), strings(client.path("invoke")),
              client.path("read").asBoolean(false), client.path("admin").asBoolean(false)),
          text(client, "rate").map(RequestRate::parse)));
    }
    JsonNode jwt = root.path("jwt");
    Optional<JwtSettings> jwtSettings = jwt.isObject()
        ? Optional.of(new JwtSettings(jwt.path("issuer").asText(), jwt.path("audience").asText(), text(jwt, "jwks"),
            text(jwt.path("publicKey"), "file").map(Path::of), text(jwt, "rate").map(RequestRate::parse)))
        : Optional.empty();
    return new AccessPolicy(clients, jwtSettings);
  }

  private static Optional<ClientToken> token(JsonNode token) {
    for (ClientToken.Source source : ClientToken.Source.values()) {
      String key = source.name().toLowerCase(java.util.Locale.ROOT);
      if (token.has(key)) {
        return Optional.of(new ClientToken(source, token.path(key).asText()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(JsonNode node, String key) {
    return node.has(key) ? Optional.of(node.path(key).asText()) : Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
