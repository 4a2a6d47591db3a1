package dev.fnmesh.launcher.scaffold;

import dev.fnmesh.launcher.Main;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code fnmesh new NAME --lang L}: writes a function from a template and adds it, with a Kafka trigger of
 * its own, to the mesh file, which a running {@code fnmesh up} watches: the function runs without a restart.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
    description = "Create a function from a template (python, node or java) and add it with a Kafka trigger to the mesh file.")
public final class NewCommand implements Callable<Integer> {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

  @Parameters(index = "0", paramLabel = "NAME", description = "The function's name, also its trigger's and topic's.")
  String name;

  @Option(names = "--lang", required = true, description = "python, node or java.")
  Language language;

  @Option(names = "--config", paramLabel = "FILE", description = "The mesh file to add it to (default: examples/mesh.yaml).")
  Path config = Main.HOME.resolve("examples/mesh.yaml");

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the function's folder is made (default: functions).")
  Path dir = Main.HOME.resolve("functions");

  @Option(names = "--functions-dir", paramLabel = "DIR",
      description = "Where the host loads Java functions' jars from (default: functions).")
  Path functionsDir = Main.HOME.resolve("functions");

  @Override
  public Integer call() {
    try {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("NAME must be a DNS-label-like name: lowercase letters, digits and '-', got " + name);
      }
      MeshLoader loader = new MeshLoader();
      String text = Files.readString(config);
      MeshConfig mesh = loader.parse(text, config.toString());
      if (mesh.functions().containsKey(name) || mesh.triggers().containsKey(name)) {
        throw new IllegalArgumentException(config + " already has a function or trigger named " + name);
      }
      Path folder = dir.resolve(name);
      if (Files.exists(folder)) {
        throw new IllegalArgumentException(folder + " already exists");
      }
      Path meshDir = config.toAbsolutePath().getParent();
      String relative = meshDir.relativize(folder.toAbsolutePath()).toString().replace('\\', '/');
      String edited = MeshFileEdit.addFunction(text, name, language.functionEntry(name, relative));
      loader.parse(edited, config.toString()); // the mesh stays valid, or nothing is written
      write(folder);
      if (language == Language.java) {
        JarBuild.build(folder, functionsDir.resolve(name + ".jar"));
      }
      Files.writeString(config, edited);
      System.out.printf("created %s (%s) and added function and trigger %s to %s%n"
          + "  try: ./fnmesh publish %s --type com.example.hello --data '{\"hello\":\"world\"}'%n"
          + "       ./fnmesh tail %s.replies%n", folder, language, name, config, name, name);
      if (language == Language.java) {
        System.out.printf("  after a change: ./fnmesh deploy %s%n", name);
      }
      return 0;
    } catch (MeshException e) {
      System.err.println("fnmesh new: the mesh file is not valid:\n" + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | IllegalStateException | IOException e) {
      System.err.println("fnmesh new: " + e.getMessage());
      return 1;
    }
  }

  private void write(Path folder) throws IOException {
    String className = className(name);
    for (String file : language.files) {
      String text;
      try (InputStream in = NewCommand.class.getResourceAsStream("/templates/" + language + "/" + file)) {
        if (in == null) {
          throw new IllegalStateException("the template " + language + "/" + file + " is missing from the launcher");
        }
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path target = folder.resolve(file.replace("__CLASS__", className));
      Files.createDirectories(target.getParent());
      Files.writeString(target, text.replace("__NAME__", name).replace("__CLASS__", className));
    }
  }

  /** {@code order-totals} → {@code OrderTotals}; a leading digit gets an F. */
  static String className(String name) {
    StringBuilder camel = new StringBuilder();
    for (String part : name.split("-")) {
      if (!part.isEmpty()) {
        camel.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    return Character.isDigit(camel.charAt(0)) ? "F" + camel : camel.toString();
  }
}
