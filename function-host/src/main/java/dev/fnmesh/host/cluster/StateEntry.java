package dev.fnmesh.host.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of the state topic, by its key: compaction keeps the latest of each, so the topic read
 * from its start is the current state of the mesh.
 */
public sealed interface StateEntry {

  String MESH_KEY = "mesh";
  String HOST_PREFIX = "host/";
  String REPLICAS_PREFIX = "replicas/";
  String WAKE_PREFIX = "wake/";

  String key();

  /**
   * The mesh the controller runs, key {@code mesh}.
   *
   * @param text the mesh file's text
   * @param source where it came from (the file or {@code PUT /api/mesh}), for messages
   * @param directory the directory of the mesh file on the controller, which relative paths in it name
   */
  record MeshDocument(String text, String source, String directory) implements StateEntry {
    public MeshDocument {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(directory, "directory");
    }

    @Override
    public String key() {
      return MESH_KEY;
    }
  }

  /**
   * A host saying it is alive, and what runs on it, key {@code host/{id}}.
   *
   * @param host the host's id
   * @param http the host's HTTP address, for people looking at the state
   * @param running the replicas of each trigger running on the host, by trigger
   * @param failed why a trigger could not start on the host, by trigger (a jar or a command it lacks)
   * @param troubled the triggers that run on the host but not normally ({@code stalled}, {@code restarting}), by
   *     trigger
   * @param warnings what works on the host but not as asked, such as a topic with fewer replicas, by trigger
   */
  record HostBeat(String host, String http, Map<String, Integer> running, Map<String, String> failed,
      Map<String, Trouble> troubled, Map<String, List<String>> warnings) implements StateEntry {
    public HostBeat {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(http, "http");
      running = Map.copyOf(running);
      failed = Map.copyOf(failed);
      troubled = Map.copyOf(troubled);
      warnings = Map.copyOf(warnings);
    }

    public HostBeat(String host, String http, Map<String, Integer> running, Map<String, String> failed) {
      this(host, http, running, failed, Map.of(), Map.of());
    }

    public HostBeat(String host, String http) {
      this(host, http, Map.of(), Map.of());
    }

    @Override
    public String key() {
      return HOST_PREFIX + host;
    }
  }

  /**
   * Why a trigger that runs on a host does not run normally there.
   *
   * @param state {@code stalled} or {@code restarting}, as {@code GET /api/triggers} says it
   * @param reason what the host says about it
   */
  record Trouble(String state, String reason) {
    public Trouble {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The controller's decision for one trigger, key {@code replicas/{trigger}}.
   *
   * @param trigger the trigger
   * @param desired the replicas it should have in all
   * @param hosts how many of them each host runs, by host id; a host not named runs none
   * @param reason the decision in words
   */
  record Assignment(String trigger, int desired, Map<String, Integer> hosts, String reason) implements StateEntry {
    public Assignment {
      Objects.requireNonNull(trigger, "trigger");
      hosts = Map.copyOf(hosts);
      Objects.requireNonNull(reason, "reason");
    }

    /** The replicas the host runs. */
    public int share(String host) {
      return hosts.getOrDefault(host, 0);
    }

    @Override
    public String key() {
      return REPLICAS_PREFIX + trigger;
    }
  }

  /**
   * A host accepted events for a topic whose triggers run no replica: key {@code wake/{topic}}. The
   * controller wakes them without waiting for its next lag measurement.
   */
  record Wake(String topic) implements StateEntry {
    public Wake {
      Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String key() {
      return WAKE_PREFIX + topic;
    }
  }

  /** A tombstone: what the key held is gone (a host that stopped, a trigger that was removed). */
  record Removed(String key) implements StateEntry {
    public Removed {
      Objects.requireNonNull(key, "key");
    }
  }
}
