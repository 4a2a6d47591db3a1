package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.ReplyRoute;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.TriggerSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixture of the mesh tests: one loader, the problems a mesh file text is rejected with, records. */
final class MeshFiles {

  /** The name the test texts are parsed under, so it heads every expected problem. */
  static final String SOURCE = "mesh.yaml";

  /** The keys a function may have, in the order an unknown key's problem lists them. */
  static final String FUNCTION_KEYS =
      "java, jar, blocking, http, structured, command, image, path, memory, user, port, readiness, workingDir, env, concurrency, maxWaiting, "
      + "config";

  /** The phrase of a topic name that breaks the schema, before the value found. */
  static final String TOPIC_RULE = "must be a legal Kafka topic name: 1 to 249 letters, digits, '.', "
      + "'_' or '-', not '.' or '..', and not starting with '__', which Kafka keeps for its own topics";

  /** One loader for all tests: building it compiles the schema. */
  static final MeshLoader LOADER = new MeshLoader();

  private MeshFiles() {
  }

  static MeshConfig parse(String yaml) {
    return LOADER.parse(yaml, SOURCE);
  }

  /** The problems a text is rejected with; fails the test when it is accepted. */
  static List<MeshProblem> problemsOf(String yaml) {
    return assertThrows(MeshException.class, () -> parse(yaml)).problems();
  }

  /** The single problem a text is rejected with; fails the test when there are none or several. */
  static MeshProblem onlyProblemOf(String yaml) {
    List<MeshProblem> problems = problemsOf(yaml);
    assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
    return problems.get(0);
  }

  /** A java function as the loader makes it from {@code { java: className }} plus a config. */
  static FunctionSpec javaFunction(String name, String className, Map<String, Object> config) {
    return new FunctionSpec(name, new JavaKind(className, JavaKind.DEFAULT_BLOCKING, Optional.empty()), config);
  }

  /**
   * A trigger of a Kafka source as the loader makes it when the file gives no filter, delivery, dataschema or
   * scale.
   */
  static TriggerSpec kafkaTrigger(String name, KafkaSource kafka, String function, Optional<String> replyTopic) {
    return new TriggerSpec(name, kafka, kafka.topic(), kafka.partitions(), function,
        replyTopic.map(ReplyRoute::to).stream().toList(), Optional.empty(), DeliverySettings.defaults(name),
        Optional.empty(), ScaleSpec.defaults(kafka.partitions()), Optional.empty());
  }

  /** A problem of {@link #SOURCE}. */
  static MeshProblem problem(int line, int column, String key, String message) {
    return new MeshProblem(SOURCE, line, column, key, message);
  }
}
