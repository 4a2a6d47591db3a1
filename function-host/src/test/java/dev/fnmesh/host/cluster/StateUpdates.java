package dev.fnmesh.host.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a state log handed over, in order: the handler of a test's reader of the state topic. */
final class StateUpdates {

  private final List<StateLog.Update> updates = new CopyOnWriteArrayList<>();

  void add(List<StateLog.Update> read) {
    updates.addAll(read);
  }

  List<StateLog.Update> updates() {
    return List.copyOf(updates);
  }

  List<StateEntry> entries() {
    return updates.stream().map(StateLog.Update::entry).toList();
  }

  /** The entries read under the key, in order. */
  List<StateEntry> entries(String key) {
    return entries().stream().filter(entry -> entry.key().equals(key)).toList();
  }
}
