package dev.fnmesh.mesh;

import java.util.List;
import java.util.Map;

/**
 * Which events reach a trigger's function, as the mesh file's {@code filter:} declares it. Attribute names
 * are CloudEvents attribute or extension names; an attribute the event lacks never matches.
 */
public sealed interface FilterSpec {

  /** Every attribute equals its value (Knative Trigger {@code filter.attributes}). */
  record Exact(Map<String, String> attributes) implements FilterSpec {
    public Exact {
      attributes = Map.copyOf(attributes);
    }
  }

  /** Every attribute's value starts with the given text. */
  record Prefix(Map<String, String> attributes) implements FilterSpec {
    public Prefix {
      attributes = Map.copyOf(attributes);
    }
  }

  /** Every attribute's value ends with the given text. */
  record Suffix(Map<String, String> attributes) implements FilterSpec {
    public Suffix {
      attributes = Map.copyOf(attributes);
    }
  }

  /** Every sub-filter holds; an empty list holds for every event. */
  record All(List<FilterSpec> filters) implements FilterSpec {
    public All {
      filters = List.copyOf(filters);
    }
  }

  /** At least one sub-filter holds; an empty list holds for no event. */
  record Any(List<FilterSpec> filters) implements FilterSpec {
    public Any {
      filters = List.copyOf(filters);
    }
  }

  /** The sub-filter does not hold. */
  record Not(FilterSpec filter) implements FilterSpec {}

  /** A CloudEvents SQL (CESQL v1) expression that evaluates to true. */
  record Sql(String expression) implements FilterSpec {}
}
