package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.load.MeshLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The chart under {@code deploy/helm/fnmesh} lints strictly and, given the values {@code fnmesh render
 * helm-values} writes for a mesh, renders exactly the objects {@code fnmesh render kubernetes} does.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("../deploy/helm/fnmesh");
  private static final Path EXAMPLES = Path.of("../examples/mesh.yaml");
  private static final Path CONTAINERS = Path.of("../examples/containers.yaml");

  @Test
  void lintsStrictlyWithItsDefaults() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void rendersWhatFnmeshRendersWithKeda(@TempDir Path dir) throws IOException {
    RenderSettings settings = new RenderSettings(Optional.of("shop"), "registry.example.com/fnmesh:1",
        "kafka.kafka.svc:9092", Optional.of("kafka-client"), RenderSettings.Scaler.KEDA,
        Optional.of("/opt/fnmesh/examples"), Optional.of("fnmesh-access"), "fnmesh-cluster-key");
    assertSameObjects(EXAMPLES, settings, dir);
  }

  @Test
  void rendersWhatFnmeshRendersOfImageFunctionsWithKedaAndWithItsOwnScaler(@TempDir Path dir) throws IOException {
    for (RenderSettings.Scaler scaler : RenderSettings.Scaler.values()) {
      RenderSettings settings = new RenderSettings(Optional.of("shop"), "registry.example.com/fnmesh:1",
          "kafka:9092", Optional.empty(), scaler, Optional.empty(), Optional.of("fnmesh-access"), "fnmesh-cluster-key");
      assertSameObjects(CONTAINERS, settings, dir.resolve(scaler.name()));
    }
  }

  @Test
  void rendersWhatFnmeshRendersWithItsOwnScalerAndWithoutAccessControl(@TempDir Path dir) throws IOException {
    RenderSettings settings = new RenderSettings(Optional.of("shop"), "localhost/fnmesh:0.1.0-SNAPSHOT",
        "kafka:9092", Optional.empty(), RenderSettings.Scaler.FNMESH, Optional.empty(), Optional.empty(),
        "my-key");
    assertSameObjects(EXAMPLES, settings, dir);
  }

  private static void assertSameObjects(Path meshFile, RenderSettings settings, Path dir) throws IOException {
    String text = Files.readString(meshFile);
    MeshConfig mesh = new MeshLoader().parse(text, meshFile.toString());
    // The chart's own defaults, with what the mesh and these settings give over them.
    ObjectNode values = (ObjectNode) new YAMLMapper().readTree(CHART.resolve("values.yaml").toFile());
    values.setAll(KubernetesManifests.helmValues(mesh, text));
    values.put("image", settings.image()).put("scaler", settings.scaler().name().toLowerCase())
        .put("meshDir", settings.meshDir().orElse("")).put("insecure", settings.accessSecret().isEmpty())
        .put("accessSecret", settings.accessSecret().orElse("unused")).put("clusterKeySecret", settings.clusterKeySecret());
    values.putObject("kafka").put("bootstrap", settings.kafkaBootstrap())
        .put("configSecret", settings.kafkaConfigSecret().orElse(""));
    // The chart as a user installs it for this mesh: its values.yaml replaced by these values.
    Path chart = copy(CHART, dir.resolve("fnmesh"));
    Files.writeString(chart.resolve("values.yaml"), KubernetesManifests.yaml(values));
    LintResult lint = new Helm(chart).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));

    String rendered = new Helm(chart).template().withName("fnmesh").withNamespace(settings.namespace().orElseThrow())
        .call();

    assertEquals(sorted(parsed(KubernetesManifests.yaml(KubernetesManifests.render(mesh, text, settings)))),
        sorted(parsed(rendered)));
  }

  private static List<ObjectNode> parsed(String yaml) throws IOException {
    List<ObjectNode> documents = new ArrayList<>();
    new YAMLMapper().readerFor(ObjectNode.class).<ObjectNode>readValues(yaml).forEachRemaining(documents::add);
    documents.removeIf(document -> document == null || document.isEmpty());
    return documents;
  }

  private static List<String> sorted(List<ObjectNode> objects) {
    ObjectMapper canonical = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return objects.stream()
        .sorted(Comparator.comparing((ObjectNode o) -> o.path("kind").asText())
            .thenComparing(o -> o.at("/metadata/name").asText()))
        .map(o -> {
          try {
            // Keys sorted, so that the same object reads the same whatever order its keys were written in.
            return canonical.writerWithDefaultPrettyPrinter().writeValueAsString(canonical.treeToValue(o, Object.class));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .toList();
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }
}
