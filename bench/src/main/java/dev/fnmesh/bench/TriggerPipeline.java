package dev.fnmesh.bench;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.examples.Echo;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.host.ReplyRoutes;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.consumer.KafkaTriggerVerticle;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A diagnostic pipeline: fnmesh's own trigger verticle running the echo function, deployed directly instead
 * of through a mesh file, so that settings the mesh file does not expose (the pending-events limit at which
 * the consumer pauses) can be varied. With the defaults it does what a mesh with one trigger does.
 */
final class TriggerPipeline implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final EventPublisher publisher;
  private final TriggerSettings settings;
  private final KafkaSettings kafka;

  /** The dead-letter topic {@link #deadLetterTopic(String)} must exist: the verticle fetches its metadata at start. */
  TriggerPipeline(KafkaSettings kafka, String name, String input, String output, int maxPending) {
    this.kafka = kafka;
    this.publisher = EventPublisher.create(vertx, kafka);
    this.settings = new TriggerSettings(name, input, "bench-" + name, "earliest", "echo",
        ReplyRoutes.to(Optional.of(output)), EventFilter.ACCEPT_ALL, event -> Optional.empty(),
        DeliverySettings.defaults(name), maxPending, Duration.ofSeconds(1));
  }

  static String deadLetterTopic(String name) {
    return DeliverySettings.defaults(name).deadLetterTopic();
  }

  /** Deploys the trigger with the echo function; blocks until its consumer thread runs. */
  void start() throws Exception {
    start(new Echo());
  }

  /** Deploys the trigger with {@code function}; blocks until its consumer thread runs. */
  void start(Function function) throws Exception {
    HostedFunction hosted = new JavaHostedFunction(function, new FunctionContext(vertx, "echo", Map.of()), false);
    vertx.deployVerticle(new KafkaTriggerVerticle(settings, kafka, hosted, publisher, new TriggerStats(), new TriggerHealth()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    // Undeploying stops the consumer (it commits what finished); then the producer, then Vert.x.
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
