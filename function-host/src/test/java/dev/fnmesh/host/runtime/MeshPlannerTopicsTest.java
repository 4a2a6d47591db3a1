package dev.fnmesh.host.runtime;

import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plan carries the data schemas of the {@code topics:} section to the ingress, read like a trigger's. */
@ExtendWith(VertxExtension.class)
class MeshPlannerTopicsTest {

  private static final String MESH = """
      functions:
        identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
      triggers:
        work:
          kafka: { topic: orders, partitions: 4 }
          function: identity
          dataschema: order.schema.json
      topics:
        audit: { partitions: 3, dataschema: %s }
        log: {}
      """;

  @Test
  void aPlanHoldsTheDataschemaOfEveryTopicThatHasOne(Vertx vertx) {
    MeshPlan plan = planner(vertx).plan(mesh("order.schema.json"));

    assertEquals(Map.of("orders", "order.schema.json", "audit", "order.schema.json"), plan.topicSchemas());
    assertEquals(Map.of("orders", TopicSettings.of(4), "audit", TopicSettings.of(3), "log", TopicSettings.of(8)),
        plan.mesh().publishableTopics());
  }

  @Test
  void aTopicWhoseDataschemaIsMissingHereCannotRunNamingTheTopic(Vertx vertx) {
    MeshException refused = assertThrows(MeshException.class, () -> planner(vertx).plan(mesh("missing.schema.json")));

    assertEquals(MeshException.Kind.CANNOT_RUN_HERE, refused.kind());
    assertEquals("topics.audit", refused.problems().get(0).key());
    assertTrue(refused.getMessage().startsWith("topic 'audit': ") && refused.getMessage().contains("missing.schema.json"),
        refused.getMessage());
  }

  private static MeshConfig mesh(String auditSchema) {
    return new MeshLoader().parse(MESH.formatted(auditSchema), "mesh.yaml");
  }

  private static MeshPlanner planner(Vertx vertx) {
    return MeshPlanner.create(vertx, MeshPlannerTopicsTest.class.getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
  }
}
