package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.DataSchemas;
import dev.fnmesh.broker.cron.CronSchedule;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.TopicSpec;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.WebhookSource;
import dev.fnmesh.broker.webhook.WebhookTrigger;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.ReplyRoutes;
import dev.fnmesh.host.TriggerSettings;
import io.cloudevents.CloudEvent;

import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Resolves a mesh file into a {@link MeshPlan}, or explains, naming the function or trigger, why it cannot. */
public final class MeshPlanner {

  private final FunctionPlanner functionPlanner;
  private final Path schemasDirectory;
  private final WebhookPlanner webhooks;

  public MeshPlanner(FunctionPlanner functionPlanner, Path schemasDirectory, WebhookPlanner webhooks) {
    this.functionPlanner = functionPlanner;
    this.schemasDirectory = schemasDirectory;
    this.webhooks = webhooks;
  }

  /**
   * The planner every fnmesh process uses: Java functions from {@code classLoader} or from jars, schemas
   * from {@code schemasDirectory}, secrets from the environment and files.
   *
   * @param meshDirectory gives what relative paths in the mesh resolve against, when a mesh is planned
   * @param processRecords where the processes of command functions are noted
   * @param containers where image functions run
   */
  public static MeshPlanner create(Vertx vertx, ClassLoader classLoader, JarFunctions jars, Path schemasDirectory,
      Supplier<Path> meshDirectory, ProcessRecords processRecords, FunctionContainers containers) {
    SecretResolver secrets = SecretResolver.system();
    return new MeshPlanner(new FunctionPlanner(vertx, new FunctionRegistry(classLoader), jars, meshDirectory,
        processRecords, new FunctionSecrets(secrets), containers), schemasDirectory, new WebhookPlanner(secrets));
  }

  /** @throws MeshException of kind cannot-run-here, naming the function or trigger and what cannot be resolved here */
  public MeshPlan plan(MeshConfig mesh) {
    // Read afresh for every plan: a reload picks up edited schema files.
    DataSchemas schemas = new DataSchemas(schemasDirectory);
    Map<String, HostedFunction> functions = new LinkedHashMap<>();
    for (FunctionSpec spec : mesh.functions().values()) {
      functions.put(spec.name(), functionPlanner.plan(spec));
    }
    Map<String, MeshPlan.PlannedTrigger> triggers = new LinkedHashMap<>();
    List<WebhookTrigger> webhookTriggers = new ArrayList<>();
    List<TriggerSpec> crons = new ArrayList<>();
    Map<String, String> topicSchemas = new HashMap<>();
    for (TriggerSpec spec : mesh.triggers().values()) {
      try {
        TriggerSettings settings = settings(spec, schemas);
        triggers.put(spec.name(), new MeshPlan.PlannedTrigger(spec, mesh.functions().get(spec.function()),
            settings, functions.get(spec.function())));
        if (spec.source() instanceof WebhookSource webhook) {
          webhookTriggers.add(webhooks.plan(spec, webhook));
        } else if (spec.source() instanceof CronSource cron) {
          CronSchedule.check(cron.schedule()).ifPresent(problem -> {
            throw new IllegalArgumentException("cron." + problem);
          });
          crons.add(spec);
        }
        spec.dataschema().ifPresent(schema -> topicSchemas.put(spec.topic(), schema));
      } catch (IllegalArgumentException e) {
        throw MeshException.cannotRunHere("triggers." + spec.name(),
            "trigger '" + spec.name() + "': " + e.getMessage(), e);
      }
    }
    for (TopicSpec topic : mesh.topics().values()) {
      topic.dataschema().ifPresent(schema -> {
        try {
          schemas.check(schema);
        } catch (IllegalArgumentException e) {
          throw MeshException.cannotRunHere("topics." + topic.name(),
              "topic '" + topic.name() + "': " + e.getMessage(), e);
        }
        topicSchemas.put(topic.name(), schema);
      });
    }
    return new MeshPlan(mesh, functions, triggers, webhookTriggers, crons, topicSchemas, schemas);
  }

  private static TriggerSettings settings(TriggerSpec spec, DataSchemas schemas) {
    String startFrom = spec.source() instanceof KafkaSource kafka
        ? kafka.startFrom().text() : "earliest";
    TriggerSettings settings = TriggerSettings.of(spec.name(), spec.topic(), spec.function(), Optional.empty(), startFrom)
        .withReplies(ReplyRoutes.compile(spec.reply()))
        .withDelivery(spec.delivery());
    if (spec.filter().isPresent()) {
      settings = settings.withFilter(EventFilter.compile(spec.filter().get()));
    }
    if (spec.dataschema().isPresent()) {
      String schema = spec.dataschema().get();
      schemas.check(schema);
      Function<CloudEvent, Optional<String>> check = event -> schemas.validate(schema, event).map(p -> p.message());
      settings = settings.withDataCheck(check);
    }
    return settings;
  }


}
