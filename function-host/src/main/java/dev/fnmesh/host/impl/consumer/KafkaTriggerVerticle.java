package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * One replica of a Kafka trigger: a member of the trigger's consumer group that invokes the trigger's
 * function with every event of the partitions it is assigned. It owns its consumer thread.
 */
public final class KafkaTriggerVerticle extends VerticleBase {

  private final TriggerSettings settings;
  private final KafkaSettings kafka;
  private final HostedFunction function;
  private final EventPublisher publisher;
  private final TriggerStats stats;
  private ConsumerLoop loop;
  private HostedFunction instance;

  public KafkaTriggerVerticle(TriggerSettings settings, KafkaSettings kafka, HostedFunction function,
      EventPublisher publisher, TriggerStats stats) {
    this.settings = settings;
    this.kafka = kafka;
    this.function = function;
    this.publisher = publisher;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    Future<Void> replyReady = settings.replyTopic().map(publisher::prepare).orElse(Future.succeededFuture());
    Future<Void> writesReady = replyReady.compose(v -> publisher.prepare(settings.delivery().deadLetterTopic()));
    // A function running outside the JVM (a process) runs one instance per replica: up before the consumer.
    Future<HostedFunction> instanceReady = writesReady.compose(v -> function.startInstance());
    return instanceReady.compose(started -> vertx.executeBlocking(() -> {
      instance = started;
      // Creating a KafkaConsumer does blocking work (DNS, config parsing), so not on the event loop.
      OffsetTracker tracker = new OffsetTracker();
      EventDelivery delivery = new EventDelivery(settings, started, publisher, tracker, stats, context);
      RecordDispatcher dispatcher = new RecordDispatcher(delivery, settings.delivery(), context);
      loop = new ConsumerLoop(settings, kafka, tracker, dispatcher, context,
          "fnmesh-trigger-" + settings.name() + "-" + deploymentID());
      loop.start();
      return null;
    }).onFailure(e -> started.stopInstance()));
  }

  @Override
  public Future<?> stop() {
    Future<?> stopped = loop == null ? Future.succeededFuture() : loop.stop();
    // The instance stops after the consumer finished its in-flight events.
    return stopped.eventually(() -> instance == null ? Future.succeededFuture() : instance.stopInstance());
  }
}
