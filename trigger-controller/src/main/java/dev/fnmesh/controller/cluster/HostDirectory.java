package dev.fnmesh.controller.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** The hosts of a mesh and when each was last heard of; a host silent for longer than the timeout is not live. */
final class HostDirectory {

  private final Duration timeout;
  private final Map<String, Instant> lastSeen = new HashMap<>();

  HostDirectory(Duration timeout) {
    this.timeout = timeout;
  }

  synchronized void beat(String host, Instant at) {
    lastSeen.merge(host, at, (before, now) -> now.isAfter(before) ? now : before);
  }

  /** The host left: it said so, or it was given up on. */
  synchronized void gone(String host) {
    lastSeen.remove(host);
  }

  synchronized SortedSet<String> live(Instant now) {
    SortedSet<String> live = new TreeSet<>();
    lastSeen.forEach((host, seen) -> {
      if (!seen.plus(timeout).isBefore(now)) {
        live.add(host);
      }
    });
    return live;
  }
}
