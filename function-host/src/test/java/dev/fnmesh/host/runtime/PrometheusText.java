package dev.fnmesh.host.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line is a {@code # HELP}, a
 * {@code # TYPE}, a comment or a sample; a family's TYPE comes before its samples, at most once, and its
 * samples stand together; no series appears twice; the text ends with a line feed.
 */
final class PrometheusText {

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(?:\\{(.*)})? ([-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|Inf))(?: (-?[0-9]+))?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  /** One sample: its metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** A metric family: its name, type, help and samples. */
  record Family(String name, String type, String help, List<Sample> samples) {}

  private PrometheusText() {}

  /**
   * @return the families by name, in the order they appear
   * @throws AssertionError naming the line and the rule it breaks
   */
  static Map<String, Family> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("the exposition does not end with a line feed");
    }
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Set<String> series = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      String at = "line " + (i + 1) + " '" + line + "': ";
      Matcher help = HELP.matcher(line);
      Matcher type = TYPE.matcher(line);
      Matcher sample = SAMPLE.matcher(line);
      if (help.matches()) {
        if (helps.put(help.group(1), help.group(2)) != null) {
          throw new AssertionError(at + "a second HELP for " + help.group(1));
        }
      } else if (type.matches()) {
        String name = type.group(1);
        if (samples.containsKey(name)) {
          throw new AssertionError(at + "TYPE after samples of " + name);
        }
        if (types.put(name, type.group(2)) != null) {
          throw new AssertionError(at + "a second TYPE for " + name);
        }
      } else if (sample.matches()) {
        String name = sample.group(1);
        if (!name.equals(current) && samples.containsKey(name)) {
          throw new AssertionError(at + "samples of " + name + " do not stand together");
        }
        current = name;
        Map<String, String> labels = labels(sample.group(2), at);
        if (!series.add(name + labels)) {
          throw new AssertionError(at + "series given twice");
        }
        samples.computeIfAbsent(name, n -> new ArrayList<>()).add(new Sample(name, labels, value(sample.group(3))));
      } else if (!line.startsWith("#") || line.startsWith("# HELP") || line.startsWith("# TYPE")) {
        throw new AssertionError(at + "neither a HELP, a TYPE, a comment nor a sample line");
      }
    }
    Map<String, Family> families = new LinkedHashMap<>();
    for (Map.Entry<String, String> type : types.entrySet()) {
      families.put(type.getKey(), new Family(type.getKey(), type.getValue(), helps.get(type.getKey()),
          samples.getOrDefault(type.getKey(), List.of())));
    }
    for (String name : samples.keySet()) {
      if (!types.containsKey(name)) {
        families.put(name, new Family(name, "untyped", helps.get(name), samples.get(name)));
      }
    }
    return families;
  }

  private static Map<String, String> labels(String text, String at) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher label = LABEL.matcher(text);
    int end = 0;
    while (end < text.length() && label.find(end) && label.start() == end) {
      if (labels.put(label.group(1), label.group(2)) != null) {
        throw new AssertionError(at + "label " + label.group(1) + " given twice");
      }
      end = label.end();
    }
    if (end != text.length()) {
      throw new AssertionError(at + "malformed labels at '" + text.substring(end) + "'");
    }
    return labels;
  }

  private static double value(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
