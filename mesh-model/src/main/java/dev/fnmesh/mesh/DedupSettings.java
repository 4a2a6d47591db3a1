package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * Duplicates dropped where events enter over HTTP: a second event with the {@code source} and {@code id} of
 * one accepted within {@code window} before is answered 202 as a duplicate and not written again.
 *
 * @param window how long an accepted event's {@code source}+{@code id} is remembered
 */
public record DedupSettings(Duration window) {

  /**
   * The most keys one topic or webhook remembers; past it the oldest are forgotten before their window ends, so
   * that a later copy of one of them is written again (never refused). About 130 bytes each: some 13 MB at most.
   */
  public static final int MAX_KEYS = 100_000;

  public DedupSettings {
    Objects.requireNonNull(window, "window");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("dedup window must be positive, got " + window);
    }
  }
}
