package dev.fnmesh.host.logs;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.signing.StateSignatures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A host's side of function logs in a mesh across processes: every entry its functions' log gets
 * ({@link FunctionLogs#record}) is written, naming this host and signed with the cluster key as the state records
 * are, to the mesh's log topic, which the controller reads ({@link FunctionLogCollector}). Writing never holds the
 * functions up: at most {@link #MAX_IN_FLIGHT} entries wait for Kafka at once, and an entry beyond that is dropped
 * and counted, so that a function that writes faster than Kafka takes costs log entries, never events.
 */
public final class FunctionLogShipper extends VerticleBase {

  /** Entries written and not yet acknowledged, at most. */
  static final int MAX_IN_FLIGHT = 256;
  /** The longest message shipped, in characters; a longer one is cut, saying so. */
  static final int MAX_MESSAGE_CHARS = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(FunctionLogShipper.class);
  private static final long DROP_REPORT_MS = Duration.ofMinutes(1).toMillis();

  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final StateSignatures signatures;
  private final String topic;
  private final String hostId;
  private int inFlight;
  private long dropped;
  private long droppedReportedAt;

  /**
   * @param topic the mesh's log topic, created unless it exists
   * @param hostId the host every entry names
   */
  public FunctionLogShipper(EventPublisher publisher, TopicAdmin topics, StateSignatures signatures, String topic,
      String hostId) {
    this.publisher = publisher;
    this.topics = topics;
    this.signatures = signatures;
    this.topic = topic;
    this.hostId = hostId;
  }

  /** Completes once the topic is ready for writes; fails when it cannot be created or its metadata read. */
  @Override
  public Future<?> start() {
    return topics.ensureTopic(topic, TopicPolicy.FUNCTION_LOG_TOPIC)
        .compose(created -> publisher.prepare(topic))
        .compose(ready -> vertx.eventBus().<JsonObject>localConsumer(FunctionLogs.RECORD_ADDRESS, this::ship)
            .completion());
  }

  private void ship(Message<JsonObject> message) {
    if (inFlight >= MAX_IN_FLIGHT) {
      dropped++;
      reportDropped();
      return;
    }
    JsonObject entry = message.body().copy().put("host", hostId);
    String text = entry.getString("message", "");
    if (text.length() > MAX_MESSAGE_CHARS) {
      entry.put("message", text.substring(0, MAX_MESSAGE_CHARS) + " [cut: " + text.length() + " characters]");
    }
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
        entry.getString("function").getBytes(StandardCharsets.UTF_8), entry.encode().getBytes(StandardCharsets.UTF_8));
    inFlight++;
    Future.fromCompletionStage(publisher.sendRecord(signatures.sign(record)), context).onComplete(sent -> {
      inFlight--;
      if (sent.failed()) {
        dropped++;
        reportDropped();
      }
    });
  }

  // At most once a minute: a flood of dropped entries must not become a flood of log lines.
  private void reportDropped() {
    long now = System.currentTimeMillis();
    if (now - droppedReportedAt >= DROP_REPORT_MS) {
      droppedReportedAt = now;
      LOG.warn("function log entries not shipped to the controller topic={} dropped={} cause=more than {} waiting"
          + " for Kafka, or Kafka refused them", topic, dropped, MAX_IN_FLIGHT);
    }
  }
}
