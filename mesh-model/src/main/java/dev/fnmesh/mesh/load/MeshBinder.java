package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.TopicSpec;
import dev.fnmesh.mesh.SequenceStep;
import dev.fnmesh.mesh.TriggerSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks what the schema cannot (that each trigger names a declared function) and turns a valid document
 * into the mesh records, applying the defaults; {@link FunctionBinder} binds each function,
 * {@link TriggerBinder} each trigger, and the topics of {@code topics:} are bound here.
 */
final class MeshBinder {

  private MeshBinder() {
  }

  /**
   * A problem at the {@code function:} key of every trigger naming no declared function. Tolerates a
   * document that breaks the schema, so that these problems are reported together with the others.
   */
  static List<MeshProblem> checkReferences(YamlDocument document) {
    JsonNode functions = document.root().path("functions");
    List<MeshProblem> problems = new ArrayList<>();
    JsonNode triggers = document.root().path("triggers");
    for (Map.Entry<String, JsonNode> trigger : fields(triggers)) {
      String name = trigger.getKey();
      function(document, functions, trigger.getValue().path("function"), List.of("triggers", name, "function"))
          .ifPresent(problems::add);
      JsonNode steps = trigger.getValue().path("steps");
      for (int i = 0; steps.isArray() && i < steps.size(); i++) {
        JsonNode step = steps.get(i);
        List<Object> at = step.isObject() ? List.of("triggers", name, "steps", i, "function")
            : List.of("triggers", name, "steps", i);
        function(document, functions, step.isObject() ? step.path("function") : step, at).ifPresent(problems::add);
        String stepTrigger = SequenceStep.triggerName(name, i + 1);
        if (i > 0 && triggers.has(stepTrigger)) {
          problems.add(document.problemAt(List.of("triggers", name, "steps", i), "step " + (i + 1) + " runs as"
              + " trigger " + stepTrigger + ", which the file declares too; rename that trigger or this one"));
        }
      }
    }
    return problems;
  }

  /** A problem at {@code at} when {@code function} names no declared function. */
  private static Optional<MeshProblem> function(YamlDocument document, JsonNode functions, JsonNode function,
      List<?> at) {
    if (!function.isTextual() || function.asText().isEmpty() || functions.has(function.asText())) {
      return Optional.empty();
    }
    List<String> declared = new ArrayList<>();
    fields(functions).forEach(entry -> declared.add(entry.getKey()));
    String message = "no function named \"" + function.asText() + "\" is declared under functions; "
        + (declared.isEmpty() ? "the file declares none" : "declared functions are " + String.join(", ", declared));
    return Optional.of(document.problemAt(at, message));
  }

  /** The records of a document that the schema and {@link #checkReferences} found no problem with. */
  static MeshConfig bind(JsonNode root) {
    Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : fields(root.path("functions"))) {
      functions.put(entry.getKey(), FunctionBinder.bind(entry.getKey(), entry.getValue()));
    }
    Map<String, TriggerSpec> triggers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : fields(root.path("triggers"))) {
      TriggerBinder.bind(entry.getKey(), entry.getValue()).forEach(spec -> triggers.put(spec.name(), spec));
    }
    Map<String, TopicSpec> topics = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : fields(root.path("topics"))) {
      JsonNode topic = entry.getValue();
      topics.put(entry.getKey(), new TopicSpec(entry.getKey(), TopicSettingsBinder.bind(topic),
          topic.path("dataschema").isTextual() ? Optional.of(topic.path("dataschema").asText()) : Optional.empty()));
    }
    return new MeshConfig(functions, triggers, topics);
  }

  /** The entries of an object in file order; none for any other node, so callers need no type checks. */
  private static Set<Map.Entry<String, JsonNode>> fields(JsonNode object) {
    return object.properties();
  }
}
