package dev.fnmesh.host.impl.process;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.ProcessHostedFunction;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import io.vertx.core.Vertx;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Command functions for the process tests, as the mesh file would declare them: every default unless
 * changed, run in the directory of the test scripts.
 */
public final class TestCommands {

  private TestCommands() {}

  /** {@code command:} with an automatic port and the default readiness, concurrency and working directory. */
  static CommandKind command(List<String> command) {
    return command(command, CommandKind.DEFAULT_READINESS, Map.of());
  }

  static CommandKind command(List<String> command, Duration readiness, Map<String, String> env) {
    return new CommandKind(command, OptionalInt.empty(), readiness, CommandKind.DEFAULT_WORKING_DIR, env,
        FunctionKind.DEFAULT_CONCURRENCY, FunctionKind.DEFAULT_MAX_WAITING);
  }

  /** The echo function of the test resources, run with python3 and the given arguments. */
  static CommandKind echo(Map<String, String> env, String... arguments) {
    List<String> command = new ArrayList<>(List.of("python3", echoScript().toString()));
    command.addAll(List.of(arguments));
    return command(command, CommandKind.DEFAULT_READINESS, env);
  }

  public static CommandKind echo(String... arguments) {
    return echo(Map.of(), arguments);
  }

  /** The replicas of a command function, run in the directory of the test scripts, noted nowhere. */
  static FunctionInstances process(String name, CommandKind command, Vertx vertx) {
    return FunctionInstances.process(name, command, echoScript().getParent(), ProcessRecords.NONE,
        FunctionSecrets.system(), vertx);
  }

  /** The declared function of a command, its replicas run as {@link #process} runs them. */
  public static ProcessHostedFunction declared(String name, CommandKind command, Vertx vertx) {
    return new ProcessHostedFunction(command, echoScript().getParent(), new FunctionContext(vertx, name, Map.of()),
        process(name, command, vertx));
  }

  /** The declared function of a Python script run with python3 in the script's directory, noted nowhere. */
  public static ProcessHostedFunction python(String name, Path script, Vertx vertx) {
    CommandKind command = command(List.of("python3", script.toString()));
    return new ProcessHostedFunction(command, script.getParent(), new FunctionContext(vertx, name, Map.of()),
        FunctionInstances.process(name, command, script.getParent(), ProcessRecords.NONE, FunctionSecrets.system(),
            vertx));
  }

  private static Path echoScript() {
    try {
      return Path.of(TestCommands.class.getResource("/process/echo_function.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the test resources hold no echo_function.py", e);
    }
  }
}
