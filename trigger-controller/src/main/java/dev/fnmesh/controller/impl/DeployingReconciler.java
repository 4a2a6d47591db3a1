package dev.fnmesh.controller.impl;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.controller.MeshReconciler;
import dev.fnmesh.controller.mesh.FunctionSpec;
import dev.fnmesh.controller.mesh.MeshConfig;
import dev.fnmesh.controller.mesh.TriggerSpec;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.impl.KafkaTriggerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deploys one {@link KafkaTriggerVerticle} per trigger; an update is undeploy-then-deploy. */
public final class DeployingReconciler implements MeshReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(DeployingReconciler.class);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final TopicAdmin topics;
  private final EventPublisher publisher;
  private final FunctionRegistry registry;
  private final FunctionCatalog catalog;
  private final Map<String, Running> running = new HashMap<>();
  private Future<Void> lastReconcile = Future.succeededFuture();

  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionRegistry registry, FunctionCatalog catalog) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.topics = topics;
    this.publisher = publisher;
    this.registry = registry;
    this.catalog = catalog;
  }

  @Override
  public synchronized Future<Void> reconcile(MeshConfig mesh) {
    // Chained so that two reconciles never interleave.
    lastReconcile = lastReconcile.transform(previous -> doReconcile(mesh));
    return lastReconcile;
  }

  @Override
  public synchronized Future<Void> stopAll() {
    lastReconcile = lastReconcile.transform(previous -> stop(new ArrayList<>(running.keySet())));
    return lastReconcile;
  }

  private Future<Void> doReconcile(MeshConfig mesh) {
    Map<String, HostedFunction> functions = new LinkedHashMap<>();
    for (FunctionSpec spec : mesh.functions().values()) {
      FunctionRegistry.Lookup lookup = registry.find(spec.java());
      if (lookup.function().isEmpty()) {
        return Future.failedFuture(new IllegalArgumentException("function '" + spec.name() + "': " + lookup.error()));
      }
      FunctionContext context = new FunctionContext(vertx, spec.name(), spec.config());
      functions.put(spec.name(), new HostedFunction(lookup.function().get(), context, spec.blocking()));
    }
    catalog.replace(functions);
    List<String> gone = new ArrayList<>();
    running.forEach((name, trigger) -> {
      TriggerSpec wanted = mesh.triggers().get(name);
      if (wanted == null || !wanted.equals(trigger.spec()) || functions.get(wanted.function()) != trigger.function()) {
        gone.add(name);
      }
    });
    return stop(gone).compose(v -> startMissing(mesh, functions));
  }

  private Future<Void> startMissing(MeshConfig mesh, Map<String, HostedFunction> functions) {
    List<Future<Void>> starts = new ArrayList<>();
    for (TriggerSpec spec : mesh.triggers().values()) {
      if (!running.containsKey(spec.name())) {
        starts.add(start(spec, functions.get(spec.function())));
      }
    }
    return Future.all(starts).mapEmpty();
  }

  private Future<Void> start(TriggerSpec spec, HostedFunction function) {
    int partitions = spec.kafka().partitions();
    Future<Void> replyTopic = spec.replyTopic().map(topic -> topics.ensureTopic(topic, partitions))
        .orElse(Future.succeededFuture());
    TriggerSettings settings = TriggerSettings.of(spec.name(), spec.kafka().topic(), spec.function(),
        spec.replyTopic(), spec.kafka().startFrom().name().toLowerCase(java.util.Locale.ROOT));
    return topics.ensureTopic(spec.kafka().topic(), partitions)
        .compose(v -> replyTopic)
        .compose(v -> vertx.deployVerticle(new KafkaTriggerVerticle(settings, kafka, function, publisher)))
        .map(deploymentId -> {
          synchronized (this) {
            running.put(spec.name(), new Running(spec, function, deploymentId));
          }
          LOG.info("trigger started trigger={} topic={} function={} reply={}", spec.name(), spec.kafka().topic(),
              spec.function(), spec.replyTopic().orElse("-"));
          return (Void) null;
        })
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "trigger '" + spec.name() + "' could not start: " + failure.getMessage(), failure)));
  }

  private Future<Void> stop(List<String> names) {
    List<Future<Void>> stops = new ArrayList<>();
    for (String name : names) {
      Running trigger;
      synchronized (this) {
        trigger = running.remove(name);
      }
      if (trigger != null) {
        stops.add(vertx.undeploy(trigger.deploymentId())
            .onSuccess(v -> LOG.info("trigger stopped trigger={}", name)));
      }
    }
    return Future.all(stops).mapEmpty();
  }

  private record Running(TriggerSpec spec, HostedFunction function, String deploymentId) {}
}
