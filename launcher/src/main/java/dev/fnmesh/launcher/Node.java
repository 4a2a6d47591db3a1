package dev.fnmesh.launcher;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.controller.meshfile.MeshFileWatcher;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One fnmesh process assembled from parts: they start one after the other, and stop in the reverse order,
 * each whether or not the one before it stopped cleanly; then Vert.x closes, then what outlives it (the
 * function jars, an embedded broker). {@code up}, {@code host} and {@code controller} are recipes of parts.
 */
final class Node implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long STOP_TIMEOUT_SECONDS = 30;

  private final String role;
  private final Vertx vertx;
  private final List<Part> started = new ArrayList<>();
  private final List<AutoCloseable> afterVertx;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A part of a process; a part with nothing to start starts at once. */
  record Part(String name, Supplier<Future<?>> start, Supplier<Future<?>> stop) {

    /** A part that only needs stopping, such as a client built before the node. */
    static Part stopping(String name, Supplier<Future<?>> stop) {
      return new Part(name, Future::succeededFuture, stop);
    }

    /** A part started by a call that returns once it runs, and stopped by something else. */
    static Part starting(String name, Runnable start) {
      return new Part(name, () -> {
        start.run();
        return Future.succeededFuture();
      }, Future::succeededFuture);
    }

    /** A verticle, deployed at start and undeployed at stop. */
    static Part verticle(String name, Vertx vertx, Deployable verticle) {
      AtomicReference<String> deployment = new AtomicReference<>();
      return new Part(name, () -> vertx.deployVerticle(verticle).onSuccess(deployment::set),
          () -> deployment.get() == null ? Future.succeededFuture() : vertx.undeploy(deployment.get()));
    }

    /** A Kafka admin client, closed on a worker: closing waits for its requests in flight. */
    /** Closes the admin client, then its binding to the process's metrics. */
    static Part admin(String name, Vertx vertx, Admin admin, KafkaClientMeters.Binding meters) {
      return stopping(name, () -> vertx.executeBlocking(() -> {
        admin.close(Duration.ofSeconds(5));
        meters.close();
        return null;
      }, false));
    }

    /** Watches the mesh file from the text that was applied, unless the interval is zero. */
    static Part watching(MeshFileWatcher watcher, String appliedText, Duration interval) {
      return new Part("mesh file watcher", () -> {
        if (!interval.isZero()) {
          watcher.start(appliedText);
        }
        return Future.succeededFuture();
      }, () -> {
        watcher.stop();
        return Future.succeededFuture();
      });
    }
  }

  private Node(String role, Vertx vertx, List<AutoCloseable> afterVertx) {
    this.role = role;
    this.vertx = vertx;
    this.afterVertx = List.copyOf(afterVertx);
  }

  /**
   * Starts the parts in order and blocks until all of them started.
   *
   * @param afterVertx closed after Vert.x, in reverse order
   * @throws IllegalStateException naming the part that did not start; what did start is stopped again
   */
  static Node start(String role, Vertx vertx, List<Part> parts, List<AutoCloseable> afterVertx) {
    Node node = new Node(role, vertx, afterVertx);
    Future<?> chain = Future.succeededFuture();
    for (Part part : parts) {
      chain = chain.compose(v -> {
        // Added before it starts: a part that fails half-way still gets its stop.
        node.started.add(part);
        return part.start().get().recover(e -> Future.failedFuture(new IllegalStateException(
            part.name() + ": " + e.getMessage(), e)));
      });
    }
    try {
      chain.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the " + role + " could not start: " + cause.getMessage(), cause);
    }
    return node;
  }


  /** Stops the started parts in reverse order, then Vert.x, then what outlives it; a second call does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Future<?> chain = Future.succeededFuture();
    for (int i = started.size() - 1; i >= 0; i--) {
      Part part = started.get(i);
      chain = chain.eventually(() -> part.stop().get().onFailure(e ->
          LOG.warn("part did not stop cleanly role={} part={} cause={}", role, part.name(), e.getMessage())));
    }
    try {
      chain.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop cleanly cause={}", role, e.getMessage());
    }
    // Vert.x cannot close from one of its own threads, so this runs here and never chained onto its futures.
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not stop cleanly role={} cause={}", role, e.getMessage());
    }
    for (int i = afterVertx.size() - 1; i >= 0; i--) {
      try {
        afterVertx.get(i).close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly cause={}", role, e.getMessage());
      }
    }
  }
}
