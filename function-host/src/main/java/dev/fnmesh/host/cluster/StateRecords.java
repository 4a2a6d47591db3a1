package dev.fnmesh.host.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * State entries as Kafka records: the key as UTF-8 text and the value as a JSON object, so that anyone
 * can read the state with a plain consumer ({@code kcat -C -t fnmesh.state -K '\t'}); a tombstone has no value.
 */
public final class StateRecords {

  private StateRecords() {}

  public static ProducerRecord<byte[], byte[]> toRecord(String topic, StateEntry entry) {
    return new ProducerRecord<>(topic, 0, utf8(entry.key()), value(entry));
  }

  private static byte[] value(StateEntry entry) {
    JsonObject json;
    if (entry instanceof StateEntry.MeshDocument mesh) {
      json = new JsonObject().put("source", mesh.source()).put("directory", mesh.directory()).put("text", mesh.text());
    } else if (entry instanceof StateEntry.HostBeat beat) {
      json = new JsonObject().put("host", beat.host()).put("http", beat.http())
          .put("running", new JsonObject(new TreeMap<String, Object>(beat.running())))
          .put("failed", new JsonObject(new TreeMap<String, Object>(beat.failed())));
      if (!beat.troubled().isEmpty()) {
        JsonObject troubled = new JsonObject();
        new TreeMap<>(beat.troubled()).forEach((trigger, trouble) -> troubled.put(trigger,
            new JsonObject().put("state", trouble.state()).put("reason", trouble.reason())));
        json.put("troubled", troubled);
      }
      if (!beat.warnings().isEmpty()) {
        JsonObject warnings = new JsonObject();
        new TreeMap<>(beat.warnings()).forEach((trigger, list) -> warnings.put(trigger, new JsonArray(list)));
        json.put("warnings", warnings);
      }
    } else if (entry instanceof StateEntry.Assignment assignment) {
      json = new JsonObject().put("trigger", assignment.trigger()).put("desired", assignment.desired())
          .put("hosts", new JsonObject(new TreeMap<String, Object>(assignment.hosts())))
          .put("reason", assignment.reason());
    } else if (entry instanceof StateEntry.Wake wake) {
      json = new JsonObject().put("topic", wake.topic());
    } else {
      return null;
    }
    return json.toBuffer().getBytes();
  }

  /**
   * The entry a record holds.
   *
   * @return empty for a key this version does not know
   * @throws IllegalArgumentException when a known key holds a value that is not a valid entry
   */
  public static Optional<StateEntry> fromRecord(byte[] key, byte[] value) {
    if (key == null) {
      return Optional.empty();
    }
    String name = new String(key, StandardCharsets.UTF_8);
    if (!name.equals(StateEntry.MESH_KEY) && !name.startsWith(StateEntry.HOST_PREFIX)
        && !name.startsWith(StateEntry.REPLICAS_PREFIX) && !name.startsWith(StateEntry.WAKE_PREFIX)) {
      return Optional.empty();
    }
    if (value == null) {
      return Optional.of(new StateEntry.Removed(name));
    }
    try {
      JsonObject json = new JsonObject(new String(value, StandardCharsets.UTF_8));
      if (name.equals(StateEntry.MESH_KEY)) {
        return Optional.of(new StateEntry.MeshDocument(required(json, "text"), required(json, "source"),
            required(json, "directory")));
      }
      if (name.startsWith(StateEntry.HOST_PREFIX)) {
        Map<String, Integer> running = new LinkedHashMap<>();
        JsonObject byTrigger = json.getJsonObject("running", new JsonObject());
        for (String trigger : byTrigger.fieldNames()) {
          running.put(trigger, byTrigger.getInteger(trigger));
        }
        Map<String, String> failed = new LinkedHashMap<>();
        JsonObject failures = json.getJsonObject("failed", new JsonObject());
        for (String trigger : failures.fieldNames()) {
          failed.put(trigger, failures.getString(trigger));
        }
        // Written by newer hosts only: an older host's beat has neither.
        Map<String, StateEntry.Trouble> troubled = new LinkedHashMap<>();
        JsonObject troubles = json.getJsonObject("troubled", new JsonObject());
        for (String trigger : troubles.fieldNames()) {
          JsonObject trouble = troubles.getJsonObject(trigger);
          troubled.put(trigger, new StateEntry.Trouble(required(trouble, "state"), required(trouble, "reason")));
        }
        Map<String, List<String>> warnings = new LinkedHashMap<>();
        JsonObject warned = json.getJsonObject("warnings", new JsonObject());
        for (String trigger : warned.fieldNames()) {
          List<String> list = new ArrayList<>();
          warned.getJsonArray(trigger).forEach(warning -> list.add((String) warning));
          warnings.put(trigger, list);
        }
        return Optional.of(new StateEntry.HostBeat(name.substring(StateEntry.HOST_PREFIX.length()), required(json, "http"),
            running, failed, troubled, warnings));
      }
      if (name.startsWith(StateEntry.WAKE_PREFIX)) {
        return Optional.of(new StateEntry.Wake(name.substring(StateEntry.WAKE_PREFIX.length())));
      }
      Map<String, Integer> hosts = new LinkedHashMap<>();
      JsonObject byHost = json.getJsonObject("hosts", new JsonObject());
      for (String host : byHost.fieldNames()) {
        hosts.put(host, byHost.getInteger(host));
      }
      Integer desired = json.getInteger("desired");
      if (desired == null) {
        throw new IllegalArgumentException("'desired' is missing");
      }
      return Optional.of(new StateEntry.Assignment(name.substring(StateEntry.REPLICAS_PREFIX.length()), desired, hosts,
          json.getString("reason", "")));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("state record '" + name + "' is not a valid JSON entry: " + e.getMessage(), e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("state record '" + name + "': " + e.getMessage(), e);
    }
  }

  private static String required(JsonObject json, String field) {
    String value = json.getString(field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
