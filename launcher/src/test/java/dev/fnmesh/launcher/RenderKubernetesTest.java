package dev.fnmesh.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fnmesh render kubernetes} prints a mesh's manifests, or nothing and the mesh's problems. */
class RenderKubernetesTest {

  @Test
  void printsTheManifestsOfTheMeshInTheNamespace() throws IOException {
    FnmeshCli.Run run = FnmeshCli.run(0, "render", "kubernetes", "--config", "../examples/mesh.yaml",
        "--kafka", "kafka:9092", "--namespace", "shop", "--image", "registry.example.com/fnmesh:1");

    assertEquals(0, run.exitCode(), run.err());
    List<ObjectNode> objects = new ArrayList<>();
    new YAMLMapper().readerFor(ObjectNode.class).<ObjectNode>readValues(run.out()).forEachRemaining(objects::add);
    assertTrue(objects.stream().allMatch(o -> o.at("/metadata/namespace").asText().equals("shop")));
    assertTrue(objects.stream().anyMatch(o -> o.get("kind").asText().equals("ScaledObject")
        && o.at("/metadata/name").asText().equals("fnmesh-trigger-greet")));
    assertTrue(objects.stream().filter(o -> o.get("kind").asText().equals("Deployment"))
        .allMatch(o -> o.at("/spec/template/spec/containers/0/image").asText().equals("registry.example.com/fnmesh:1")));
  }

  @Test
  void printsNothingForAMeshThatWouldNotRun(@TempDir Path dir) throws IOException {
    Path mesh = Files.writeString(dir.resolve("mesh.yaml"), """
        functions:
          echo: { java: echo }
        triggers:
          broken:
            kafka: { topic: orders }
            function: missing
        """);

    FnmeshCli.Run run = FnmeshCli.run(0, "render", "kubernetes", "--config", mesh.toString(), "--kafka", "kafka:9092");

    assertEquals(2, run.exitCode());
    assertEquals("", run.out());
    assertTrue(run.err().contains("missing"), run.err());
  }

  @Test
  void refusesAnUnknownScaler() {
    FnmeshCli.Run run = FnmeshCli.run(0, "render", "kubernetes", "--kafka", "kafka:9092", "--scaler", "hpa");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--scaler must be keda or fnmesh"), run.err());
  }

  @Test
  void printsTheChartValuesTheMeshGives() throws IOException {
    FnmeshCli.Run run = FnmeshCli.run(0, "render", "helm-values", "--config", "../examples/mesh.yaml");

    assertEquals(0, run.exitCode(), run.err());
    ObjectNode values = new YAMLMapper().readValue(run.out(), ObjectNode.class);
    assertEquals(Files.readString(Path.of("../examples/mesh.yaml")), values.get("mesh").asText());
    assertTrue(values.get("crons").toString().contains("heartbeat"));
    assertTrue(values.get("triggers").toString().contains("\"consumerGroup\":\"fnmesh.greet\""), values.toString());
  }
}
