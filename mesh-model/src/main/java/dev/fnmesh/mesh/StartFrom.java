package dev.fnmesh.mesh;

import java.util.Locale;

/** Where a trigger without committed offsets starts reading its topic. */
public enum StartFrom {
  /** From the oldest event still in the topic. */
  EARLIEST,
  /** From the events published after the trigger started. */
  LATEST;

  /** The spelling in the mesh file: {@code earliest} or {@code latest}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the mesh file spelling.
   *
   * @throws IllegalArgumentException when the name is neither {@code earliest} nor {@code latest}
   */
  public static StartFrom fromYaml(String name) {
    for (StartFrom value : values()) {
      if (value.yamlName().equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException("startFrom must be earliest or latest, got \"" + name + "\"");
  }
}
