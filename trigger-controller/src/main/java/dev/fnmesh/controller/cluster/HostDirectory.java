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
  private final Map<String, StateEntry.HostBeat> reports = new HashMap<>();

  HostDirectory(Duration timeout) {
    this.timeout = timeout;
  }

  synchronized void beat(String host, Instant at) {
    lastSeen.merge(host, at, (before, now) -> now.isAfter(before) ? now : before);
  }

  /** The host's beat, with what runs on it; the latest read replaces the one before. */
  synchronized void report(StateEntry.HostBeat beat, Instant at) {
    beat(beat.host(), at);
    reports.put(beat.host(), beat);
  }

  /** What the live hosts last said runs on them, by host. */
  synchronized Map<String, StateEntry.HostBeat> reports(Instant now) {
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
  synchronized void gone(String host) {
    lastSeen.remove(host);
    reports.remove(host);
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
