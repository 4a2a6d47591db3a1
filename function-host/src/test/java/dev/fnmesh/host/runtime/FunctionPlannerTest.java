package dev.fnmesh.host.runtime;

import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.HttpHostedFunction;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.ProcessHostedFunction;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshException;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
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
}
