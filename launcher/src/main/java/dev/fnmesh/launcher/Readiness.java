package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaReachability;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a process should be sent traffic ({@code GET /readyz}): it started, it is not stopping, and Kafka
 * answered lately. Its {@link #part()} comes last in a node, so it starts once everything else runs and
 * stops first: readiness is withdrawn before the triggers drain and the HTTP port closes.
 */
final class Readiness {

  /** Why the process is or is not ready, as {@code /readyz} says it. */
  enum State {
    STARTING("starting"), READY("ready"), KAFKA_UNREACHABLE("kafka-unreachable"), STOPPING("stopping");

    final String word;

    State(String word) {
      this.word = word;
    }
  }

  private final KafkaReachability kafka;
  private volatile boolean started;
  private volatile boolean stopping;

  Readiness(KafkaReachability kafka) {
    this.kafka = kafka;
  }

  /** Readiness that checks Kafka at the default pace. */
  static Readiness checking(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters) {
    return new Readiness(new KafkaReachability(vertx, kafka, KafkaReachability.DEFAULT_INTERVAL,
        KafkaReachability.DEFAULT_TIMEOUT, meters));
  }

  /** Whether every part started: what {@code /healthz} has always said, stopping or not. */
  boolean started() {
    return started;
  }

  State state() {
    if (stopping) {
      return State.STOPPING;
    }
    if (!started) {
      return State.STARTING;
    }
    return kafka.reachable() ? State.READY : State.KAFKA_UNREACHABLE;
  }

  /** The last part of a node: starts checking Kafka and marks the start done; its stop marks the stopping. */
  Node.Part part() {
    return new Node.Part("readiness", () -> kafka.start().map(v -> started = true), () -> {
      stopping = true;
      return kafka.close();
    });
  }

  /**
   * Two parts that together are {@link #part()}: the first starts checking Kafka without waiting for the answer,
   * so that the first check runs while the parts between start; the last waits for it and marks the start done.
   */
  List<Node.Part> parts() {
    AtomicReference<Future<Void>> firstCheck = new AtomicReference<>();
    return List.of(
        new Node.Part("kafka checks", () -> {
          firstCheck.set(kafka.start());
          return Future.succeededFuture();
        }, kafka::close),
        new Node.Part("readiness", () -> firstCheck.get().map(v -> started = true), () -> {
          stopping = true;
          return Future.succeededFuture();
        }));
  }
}
