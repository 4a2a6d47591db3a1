package dev.fnmesh.controller.cluster;

import dev.fnmesh.host.cluster.StateEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The hosts of a mesh, when each was last heard of and what each said runs on it. A host silent for longer
 * than the timeout is not live, unless nothing at all was heard for that long: hosts beat every second, so
 * total silence means the reader does not hear the topic (a broker or network away), and the hosts heard
 * last stay live. Not thread-safe: used on its controller's context only.
 */
final class HostDirectory {

  private final Duration timeout;
  private final Map<String, Instant> lastSeen = new HashMap<>();
  private final Map<String, StateEntry.HostBeat> reports = new HashMap<>();
  private Instant lastHeard;

  HostDirectory(Duration timeout) {
    this.timeout = timeout;
  }

  /** Something, whatever it was, was read from the state topic. */
  void heard(Instant at) {
    lastHeard = at;
  }

  void beat(String host, Instant at) {
    lastSeen.merge(host, at, (before, now) -> now.isAfter(before) ? now : before);
  }

  /** The host's beat, with what runs on it; the latest read replaces the one before. */
  void report(StateEntry.HostBeat beat, Instant at) {
    beat(beat.host(), at);
    reports.put(beat.host(), beat);
  }

  /** What the live hosts last said runs on them, by host. */
  Map<String, StateEntry.HostBeat> reports(Instant now) {
    Map<String, StateEntry.HostBeat> live = new HashMap<>();
    for (String host : live(now)) {
      StateEntry.HostBeat beat = reports.get(host);
      if (beat != null) {
        live.put(host, beat);
      }
    }
    return live;
  }

  /** The host left: it said so, or it was given up on. */
  void gone(String host) {
    lastSeen.remove(host);
    reports.remove(host);
  }

  SortedSet<String> live(Instant now) {
    Instant at = lastHeard != null && lastHeard.plus(timeout).isBefore(now) ? lastHeard : now;
    SortedSet<String> live = new TreeSet<>();
    lastSeen.forEach((host, seen) -> {
      if (!seen.plus(timeout).isBefore(at)) {
        live.add(host);
      }
    });
    return live;
  }

  /** The live hosts each trigger could not start on, by trigger. */
  Map<String, Set<String>> failures(Instant now) {
    Map<String, Set<String>> failed = new HashMap<>();
    reports(now).forEach((host, beat) -> beat.failed().keySet()
        .forEach(trigger -> failed.computeIfAbsent(trigger, t -> new TreeSet<>()).add(host)));
    return failed;
  }
}
