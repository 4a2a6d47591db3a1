package dev.fnmesh.host.runtime;

import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which planned triggers the scaler treats as ordered: at most one replica per partition with lag. */
@ExtendWith(VertxExtension.class)
class MeshPlanOrderingTest {

  private static final String MESH = """
      functions:
        identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
      triggers:
        in-order: { kafka: { topic: a }, function: identity }
        by-key: { kafka: { topic: b }, function: identity, delivery: { ordering: key, maxInFlight: 50 } }
        any-order: { kafka: { topic: c }, function: identity, delivery: { ordering: unordered } }
      """;

  @Test
  void orderedAndKeyOrderedTriggersScaleAsOrderedWhileUnorderedOnesDoNot(Vertx vertx) {
    MeshPlan plan = MeshPlanner.create(vertx, MeshPlanOrderingTest.class.getClassLoader(),
        new JarFunctions(Path.of("target")), Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE,
        FunctionContainers.PLAN_ONLY)
        .plan(new MeshLoader().parse(MESH, "mesh.yaml"));

    assertTrue(plan.triggers().get("in-order").ordered());
    assertTrue(plan.triggers().get("by-key").ordered(), "a partition's keys are worked inside one replica");
    assertFalse(plan.triggers().get("any-order").ordered());
  }
}
