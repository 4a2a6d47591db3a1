package dev.fnmesh.controller;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlanner;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/** Meshes of one trigger for the controller's tests, planned as every fnmesh process plans them. */
public final class TestPlans {

  private TestPlans() {}

  /** The planner of the tests: Java functions from the test class path, the project's schemas. */
  public static MeshPlanner planner(Vertx vertx) {
    return MeshPlanner.create(vertx, TestPlans.class.getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
  }

  /** A mesh whose one trigger reads {@code topic} with {@link IdentityFunction} and scales as {@code scale} says. */
  public static String oneTrigger(String trigger, String topic, int partitions, String scale) {
    return """
        functions:
          identity: { java: %s }
        triggers:
          %s:
            kafka: { topic: %s, partitions: %d }
            function: identity
            scale: %s
        """.formatted(IdentityFunction.class.getName(), trigger, topic, partitions, scale);
  }

  public static MeshPlan plan(Vertx vertx, String mesh) {
    return planner(vertx).plan(new MeshLoader().parse(mesh, "test"));
  }
}
