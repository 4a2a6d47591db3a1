package dev.fnmesh.launcher.scaffold;

import java.util.List;

/** The languages {@code fnmesh new} writes a function in, with the files of each template. */
public enum Language {
  python(List.of("main.py")),
  node(List.of("main.js")),
  java(List.of("pom.xml", "src/main/java/functions/__CLASS__.java",
      "src/main/resources/META-INF/services/dev.fnmesh.function.Function"));

  final List<String> files;

  Language(List<String> files) {
    this.files = files;
  }

  /** The mesh file's function entry, with {@code dir} the function's folder relative to the mesh file's. */
  String functionEntry(String name, String dir) {
    return switch (this) {
      case python -> "{ command: [python3, " + dir + "/main.py] }";
      case node -> "{ command: [node, " + dir + "/main.js] }";
      case java -> "{ java: " + name + ", jar: " + name + ".jar }";
    };
  }
}
