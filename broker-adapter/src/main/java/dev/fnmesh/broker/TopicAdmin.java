package dev.fnmesh.broker;

import dev.fnmesh.broker.impl.KafkaTopicAdmin;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.LinkedHashMap;
import java.util.Map;

/** Creates the Kafka topics the mesh needs; remembers those it has seen so a hot path asks Kafka once. */
public interface TopicAdmin {

  /**
   * Makes sure the topic exists, creating it with these settings and the replication of the
   * {@link KafkaSettings#topics()} policy when it does not; one that exists is used as it is.
   *
   * @return a future completed on the caller's context with the topic as created or found, which says whether
   *     it has fewer replicas than asked; it fails when Kafka cannot be reached or refuses to create the topic
   */
  Future<TopicReport> ensureTopic(String topic, TopicSettings settings);

  /**
   * Makes sure of several topics at once, as {@link #ensureTopic} does of one: those not known yet are created in
   * one request and waited for together, which on a KRaft controller takes about as long as one topic.
   *
   * @return a future per topic, as {@link #ensureTopic} returns; a topic Kafka refuses fails its own future only
   */
  default Map<String, Future<TopicReport>> ensureTopics(Map<String, TopicSettings> topics) {
    Map<String, Future<TopicReport>> ensured = new LinkedHashMap<>();
    topics.forEach((topic, settings) -> ensured.put(topic, ensureTopic(topic, settings)));
    return ensured;
  }

  /** @return an explanation when the name is not a legal Kafka topic name, otherwise null */
  static String checkName(String topic) {
    if (topic == null || !isLegalName(topic) || topic.equals(".") || topic.equals("..")) {
      return "topic '" + topic + "' is not a legal Kafka topic name: 1 to 249 of the characters a-z A-Z 0-9 . _ -"
          + " (and not '.' or '..')";
    }
    return null;
  }

  // Kafka's rule for topic names, [a-zA-Z0-9._-]{1,249}, by hand rather than a regular expression: every request
  // to /topics asks.
  private static boolean isLegalName(String topic) {
    if (topic.isEmpty() || topic.length() > 249) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  Future<Void> close();

  static TopicAdmin create(Vertx vertx, KafkaSettings settings) {
    return create(vertx, settings, KafkaClientMeters.none());
  }

  /** @param meters binds the admin client to the process's metrics until it is closed */
  static TopicAdmin create(Vertx vertx, KafkaSettings settings, KafkaClientMeters meters) {
    return new KafkaTopicAdmin(vertx, settings, meters);
  }
}
