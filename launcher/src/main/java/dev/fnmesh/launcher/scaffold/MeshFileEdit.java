package dev.fnmesh.launcher.scaffold;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Adds a function and its trigger to a mesh file's text by inserting lines, so that the user's comments,
 * order and layout stay as they were (a YAML library would rewrite the whole file).
 */
final class MeshFileEdit {

  private static final Pattern BLOCK_START = Pattern.compile("^(functions|triggers):\\s*(#.*)?$");

  private MeshFileEdit() {}

  /**
   * @param functionEntry the function's flow mapping, such as {@code { command: [python3, x/main.py] }}
   * @return the text with {@code name} under {@code functions:} and a trigger of the same name under
   *     {@code triggers:} reading topic {@code name} and replying on {@code name.replies}
   */
  static String addFunction(String text, String name, String functionEntry) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    insertUnder(lines, "functions", List.of(name + ": " + functionEntry));
    insertUnder(lines, "triggers", List.of(name + ":", "  kafka: { topic: " + name + ", partitions: 1 }",
        "  function: " + name, "  reply: { topic: " + name + ".replies }"));
    return String.join("\n", lines);
  }

  /** Inserts the entries at the end of the top-level block, indented like its first entry; adds the block if missing. */
  private static void insertUnder(List<String> lines, String block, List<String> entries) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      var matcher = BLOCK_START.matcher(lines.get(i));
      if (matcher.matches() && matcher.group(1).equals(block)) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      lines.add(block + ":");
      entries.forEach(entry -> lines.add("  " + entry));
      lines.add("");
      return;
    }
    String indent = "  ";
    int end = start + 1;
    for (int i = start + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        break; // the next top-level key
      }
      if (end == start + 1) {
        indent = line.substring(0, line.length() - line.stripLeading().length());
      }
      end = i + 1;
    }
    List<String> indented = new ArrayList<>();
    for (String entry : entries) {
      indented.add(indent + entry);
    }
    lines.addAll(end, indented);
  }
}
