package dev.fnmesh.launcher.scaffold;

import dev.fnmesh.launcher.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code fnmesh deploy NAME}: builds a Java function and puts its jar where the host loads it, which swaps it in. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Build a Java function made with `fnmesh new` and put its jar where the host loads it.")
public final class DeployCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the function's folder is (default: functions).")
  Path dir = Main.HOME.resolve("functions");

  @Option(names = "--functions-dir", paramLabel = "DIR",
      description = "Where the host loads Java functions' jars from (default: functions).")
  Path functionsDir = Main.HOME.resolve("functions");

  @Override
  public Integer call() {
    Path project = dir.resolve(name);
    if (!Files.isDirectory(project.resolve("src/main/java"))) {
      System.err.println("fnmesh deploy: " + project + " is no Java function (no src/main/java); make one with"
          + " fnmesh new " + name + " --lang java");
      return 1;
    }
    try {
      Path jar = functionsDir.resolve(name + ".jar");
      JarBuild.build(project, jar);
      System.out.println("deployed " + jar + ": a running host swaps it in");
      return 0;
    } catch (IOException | IllegalStateException e) {
      System.err.println("fnmesh deploy: " + e.getMessage());
      return 1;
    }
  }
}
