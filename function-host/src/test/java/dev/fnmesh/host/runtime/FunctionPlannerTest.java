package dev.fnmesh.host.runtime;

import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.HttpHostedFunction;
import dev.fnmesh.host.ImageHostedFunction;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.ProcessHostedFunction;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.host.impl.container.ContainerEngines;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionPlannerTest {

  private static final Path MESH_DIRECTORY = Path.of("/srv/mesh");

  private final Vertx vertx = Vertx.vertx();
  private final FunctionPlanner planner = new FunctionPlanner(vertx,
      new FunctionRegistry(FunctionPlannerTest.class.getClassLoader()), new JarFunctions(Path.of("target")),
      () -> MESH_DIRECTORY, ProcessRecords.NONE, FunctionSecrets.system(), FunctionContainers.PLAN_ONLY);

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static CommandKind command(String workingDir) {
    return new CommandKind(List.of("python3", "fn.py"), OptionalInt.empty(), CommandKind.DEFAULT_READINESS,
        workingDir, Map.of(), FunctionKind.DEFAULT_CONCURRENCY, FunctionKind.DEFAULT_MAX_WAITING);
  }

  @Test
  void shouldPlanAJavaFunctionAsTheClassItNamesBlockingAsDeclared() {
    HostedFunction planned = planner.plan(new FunctionSpec("id",
        new JavaKind(IdentityFunction.class.getName(), true, Optional.empty()), Map.of()));

    JavaHostedFunction java = assertInstanceOf(JavaHostedFunction.class, planned);
    assertInstanceOf(IdentityFunction.class, java.function());
    assertTrue(java.blocking());
    assertEquals("id", java.name());
  }

  @Test
  void shouldPlanAnHttpFunctionWithItsHttpSection() {
    HttpKind http = new HttpKind(URI.create("https://fn.example.com/run"), 7, 3, true);

    HostedFunction planned = planner.plan(new FunctionSpec("remote", http, Map.of()));

    assertEquals(http, assertInstanceOf(HttpHostedFunction.class, planned).kind());
  }

  @Test
  void shouldPlanACommandFunctionInItsWorkingDirectoryResolvedAgainstTheMeshDirectory() {
    ProcessHostedFunction relative = assertInstanceOf(ProcessHostedFunction.class,
        planner.plan(new FunctionSpec("py", command("functions/../py"), Map.of())));
    ProcessHostedFunction absolute = assertInstanceOf(ProcessHostedFunction.class,
        planner.plan(new FunctionSpec("py", command("/opt/py"), Map.of())));
    ProcessHostedFunction byDefault = assertInstanceOf(ProcessHostedFunction.class,
        planner.plan(new FunctionSpec("py", command(CommandKind.DEFAULT_WORKING_DIR), Map.of())));

    assertEquals(command("functions/../py"), relative.kind());
    assertEquals(MESH_DIRECTORY.resolve("py"), relative.workingDir());
    assertEquals(Path.of("/opt/py"), absolute.workingDir());
    assertEquals(MESH_DIRECTORY, byDefault.workingDir());
  }

  @Test
  void shouldNameTheFunctionWhoseClassIsNotFoundAsSomethingThisProcessCannotRun() {
    MeshException refused = assertThrows(MeshException.class, () -> planner.plan(
        new FunctionSpec("ghost", new JavaKind("com.example.NoSuchFunction", false, Optional.empty()), Map.of())));

    assertEquals(MeshException.Kind.CANNOT_RUN_HERE, refused.kind());
    assertEquals("functions.ghost", refused.problems().get(0).key());
    assertTrue(refused.getMessage().startsWith("function 'ghost': "), refused.getMessage());
  }

  private static final ImageKind SHOUT = new ImageKind("localhost/fnmesh-shout:1", 8000, "/events",
      Duration.ofSeconds(30), Map.of(), Optional.empty(), ImageKind.DEFAULT_USER, 10, 5);

  private FunctionPlanner plannerWith(FunctionContainers containers) {
    return new FunctionPlanner(vertx, new FunctionRegistry(FunctionPlannerTest.class.getClassLoader()),
        new JarFunctions(Path.of("target")), () -> MESH_DIRECTORY, ProcessRecords.NONE, FunctionSecrets.system(),
        containers);
  }

  @Test
  void shouldRefuseAnImageFunctionWhereNoContainerEngineIsFoundNamingTheFunctionAndWhatIsMissing() {
    Optional<String> searched = Optional.empty();
    FunctionContainers none = new FunctionContainers(ContainerEngines.find(searched, ""),
        ContainerEngines.looked(searched), Map.of(), "owner", false);

    MeshException refused = assertThrows(MeshException.class,
        () -> plannerWith(none).plan(new FunctionSpec("shout", SHOUT, Map.of())));

    assertEquals(MeshException.Kind.CANNOT_RUN_HERE, refused.kind());
    assertEquals("functions.shout", refused.problems().get(0).key());
    assertEquals("function 'shout': it runs the image localhost/fnmesh-shout:1 in a container, and no container engine"
        + " was found (looked for podman and docker on PATH): install podman or docker, name one with"
        + " --container-engine, or say where the function already runs with --function-url shout=URL",
        refused.getMessage());
  }

  @Test
  void shouldPlanAnImageFunctionThatRunsElsewhereWithoutAnEngine() {
    FunctionContainers sidecar = new FunctionContainers(Optional.empty(), "nothing",
        Map.of("shout", URI.create("http://127.0.0.1:8000/")), "owner", false);

    ImageHostedFunction planned = assertInstanceOf(ImageHostedFunction.class,
        plannerWith(sidecar).plan(new FunctionSpec("shout", SHOUT, Map.of())));

    assertEquals(SHOUT, planned.kind());
  }

  @Test
  void shouldLetAControllerPlanAnImageFunctionItsHostsRun() {
    assertInstanceOf(ImageHostedFunction.class, planner.plan(new FunctionSpec("shout", SHOUT, Map.of())));
  }
}
