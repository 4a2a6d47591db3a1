package dev.fnmesh.launcher.operator;

import picocli.CommandLine.Option;

import java.net.URI;

/** How an operator command reaches a running mesh: its URL, a token, and how to print what it answers. */
public final class OperatorOptions {

  @Option(names = "--url", paramLabel = "URL",
      description = "The mesh's HTTP port: a host, `fnmesh up`, or the controller (default: ${DEFAULT-VALUE}).")
  URI url = URI.create("http://localhost:8080");

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "A bearer token of the mesh's access file (default: $FNMESH_TOKEN).")
  String token;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table for people, json for scripts (default: ${DEFAULT-VALUE}).")
  Output output = Output.table;

  /** How answers are printed. */
  enum Output {
    table,
    json
  }

  MeshClient client() {
    return new MeshClient(url, token);
  }
}
