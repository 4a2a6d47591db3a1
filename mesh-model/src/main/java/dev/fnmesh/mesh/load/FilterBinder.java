package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.FilterSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a valid {@code filter:} object into a {@link FilterSpec}. Every key of one object is a condition
 * that must hold, so several keys become an {@link FilterSpec.All} of their parts, in file order; the keys
 * that are attribute names become one {@link FilterSpec.Exact}, where the first of them stands.
 */
final class FilterBinder {

  private FilterBinder() {
  }

  static FilterSpec bind(JsonNode filter) {
    List<FilterSpec> parts = new ArrayList<>();
    Map<String, String> exact = new LinkedHashMap<>();
    int exactAt = 0;
    for (Map.Entry<String, JsonNode> entry : filter.properties()) {
      JsonNode value = entry.getValue();
      switch (entry.getKey()) {
        case "prefix" -> parts.add(new FilterSpec.Prefix(strings(value)));
        case "suffix" -> parts.add(new FilterSpec.Suffix(strings(value)));
        case "all" -> parts.add(new FilterSpec.All(list(value)));
        case "any" -> parts.add(new FilterSpec.Any(list(value)));
        case "not" -> parts.add(new FilterSpec.Not(bind(value)));
        case "sql" -> parts.add(new FilterSpec.Sql(value.asText()));
        default -> {
          if (exact.isEmpty()) {
            exactAt = parts.size();
          }
          exact.put(entry.getKey(), value.asText());
        }
      }
    }
    if (!exact.isEmpty()) {
      parts.add(exactAt, new FilterSpec.Exact(exact));
    }
    return parts.size() == 1 ? parts.get(0) : new FilterSpec.All(parts);
  }

  private static Map<String, String> strings(JsonNode attributes) {
    Map<String, String> values = new LinkedHashMap<>();
    attributes.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
    return values;
  }

  private static List<FilterSpec> list(JsonNode filters) {
    List<FilterSpec> specs = new ArrayList<>();
    filters.forEach(filter -> specs.add(bind(filter)));
    return specs;
  }
}
