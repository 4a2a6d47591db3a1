package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.HttpSurface;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /api/mesh} (the running mesh, what may be a secret redacted), {@code PUT /api/mesh} (replace it with the
 * YAML in the body; refused with the loader's located problems when invalid, and with 403 when it declares a
 * {@code command:} function unless allowed) and {@code GET /api/triggers} (what each trigger is doing).
 */
public final class MeshApi implements HttpSurface {

  private static final long MAX_MESH_BYTES = 1024 * 1024;
  private static final String PUT_SOURCE = "PUT /api/mesh";
  private final MeshRuntime runtime;
  private final Optional<String> meshOwner;
  private final boolean allowCommands;
  private final ObjectMapper yaml = new YAMLMapper();

  /**
   * The API of the process that owns the mesh ({@code fnmesh up}, the controller).
   *
   * @param allowCommands whether a mesh put may declare {@code command:} functions: whoever reaches this API
   *     could otherwise run any program on every host; the mesh file always may
   */
  public MeshApi(MeshRuntime runtime, boolean allowCommands) {
    this(runtime, Optional.empty(), allowCommands);
  }

  /**
   * @param meshOwner when present, this process runs a mesh it was given and refuses {@code PUT /api/mesh}
   *     with this explanation of where to send it instead; when empty, a mesh put may not declare
   *     {@code command:} functions
   */
  public MeshApi(MeshRuntime runtime, Optional<String> meshOwner) {
    this(runtime, meshOwner, false);
  }

  private MeshApi(MeshRuntime runtime, Optional<String> meshOwner, boolean allowCommands) {
    this.runtime = runtime;
    this.meshOwner = meshOwner;
    this.allowCommands = allowCommands;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/mesh").handler(this::getMesh);
    // The body is YAML whatever its content type says: curl's -d and --data-binary call it a form, and a
    // form decoder would refuse the YAML before this API reads it.
    router.put("/api/mesh").handler(ctx -> {
      ctx.request().headers().set("content-type", "application/yaml");
      ctx.next();
    });
    router.put("/api/mesh").handler(BodyHandler.create(false).setBodyLimit(MAX_MESH_BYTES)).handler(this::putMesh)
        .failureHandler(ProblemResponses.failureHandler(MAX_MESH_BYTES));
    router.get("/api/triggers").handler(this::getTriggers);
  }
  @Override
  public String routes() {
    return meshOwner.isPresent() ? "GET /api/mesh, GET /api/triggers" : "/api/mesh, /api/triggers";
  }


  private void getMesh(RoutingContext ctx) {
    MeshRuntime.Applied applied = runtime.current();
    if (applied == null) {
      ProblemResponses.write(ctx.response(), new EventProblem(503, "mesh", "no mesh is running yet"));
      return;
    }
    JsonNode mesh;
    try {
      mesh = yaml.readTree(applied.text());
    } catch (IOException e) {
      throw new IllegalStateException("the running mesh no longer parses: " + e.getMessage(), e);
    }
    MeshRedaction.redact(mesh);
    json(ctx, 200, new JsonObject().put("source", applied.source()).put("mesh", new JsonObject(mesh.toString())));
  }

  private void putMesh(RoutingContext ctx) {
    if (meshOwner.isPresent()) {
      ctx.response().putHeader("allow", "GET");
      ProblemResponses.write(ctx.response(), new EventProblem(405, "mesh", meshOwner.get()));
      return;
    }
    String text = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    runtime.apply(text, PUT_SOURCE, allowCommands ? mesh -> {} : MeshApi::refuseCommands).onComplete(applied -> {
      if (applied.succeeded()) {
        json(ctx, 200, new JsonObject().put("status", "applied").put("triggers", triggers()));
      } else if (applied.cause() instanceof MeshException invalid && invalid.kind() == MeshException.Kind.INVALID) {
        JsonArray problems = new JsonArray();
        for (MeshProblem problem : invalid.problems()) {
          problems.add(new JsonObject().put("line", problem.line()).put("column", problem.column())
              .put("key", problem.key()).put("message", problem.message()));
        }
        json(ctx, 400, new JsonObject().put("status", 400).put("field", "mesh").put("message", invalid.getMessage())
            .put("problems", problems));
      } else if (applied.cause() instanceof MeshException refused && refused.kind() == MeshException.Kind.NOT_ALLOWED) {
        ProblemResponses.write(ctx.response(), new EventProblem(403, refused.problems().get(0).key(), refused.getMessage()));
      } else if (applied.cause() instanceof MeshException refused) {
        ProblemResponses.write(ctx.response(), EventProblem.badRequest("mesh", refused.getMessage()));
      } else {
        ProblemResponses.write(ctx.response(), new EventProblem(500, "mesh",
            "the mesh was accepted but did not start completely: " + applied.cause().getMessage()));
      }
    });
  }

  private static void refuseCommands(MeshConfig mesh) {
    for (FunctionSpec function : mesh.functions().values()) {
      if (function.kind() instanceof ImageKind) {
        throw MeshException.notAllowed("functions." + function.name() + ".image", "function '" + function.name()
            + "' runs a container image, and a mesh sent to PUT /api/mesh may not start containers: put the function"
            + " in the mesh file, or start the controller (or fnmesh up) with --allow-api-commands");
      }
      if (function.kind() instanceof CommandKind) {
        throw MeshException.notAllowed("functions." + function.name() + ".command", "function '" + function.name()
            + "' runs a command, and a mesh sent to PUT /api/mesh may not start processes: put the function in the"
            + " mesh file, or start the controller (or fnmesh up) with --allow-api-commands");
      }
    }
  }

  private void getTriggers(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("triggers", triggers()));
  }

  private JsonArray triggers() {
    return triggersJson(runtime.triggers());
  }

  /** The triggers as {@code GET /api/triggers} answers them, for every surface that shows them. */
  public static JsonArray triggersJson(Collection<TriggerStatus> triggers) {
    JsonArray all = new JsonArray();
    for (TriggerStatus status : triggers) {
      all.add(new JsonObject().put("name", status.name()).put("kind", status.kind()).put("topic", status.topic())
          .put("function", status.function())
          // replyTopic: the one topic of every reply, as before routes; replyTopics: every topic a route may take.
          .put("replyTopic", status.replyTopics().size() == 1 ? status.replyTopics().get(0) : null)
          .put("replyTopics", new JsonArray(status.replyTopics()))
          .put("step", status.step().map(step -> new JsonObject().put("sequence", step.sequence())
              .put("number", step.number()).put("steps", step.steps())).orElse(null))
          .put("state", status.state()).put("error", status.error().orElse(null)).put("replicas", status.replicas())
          .put("events", JsonObject.mapFrom(status.stats())).put("scaling", scaling(status.scaling()))
          .put("warnings", new JsonArray(status.warnings())));
    }
    return all;
  }

  private static JsonObject scaling(ScalingStatus scaling) {
    JsonObject lagByPartition = new JsonObject();
    scaling.lagByPartition().forEach((partition, lag) -> lagByPartition.put(String.valueOf(partition), lag));
    return new JsonObject().put("desiredReplicas", scaling.desiredReplicas()).put("lag", scaling.lag())
        .put("lagByPartition", lagByPartition).put("lastDecision", scaling.lastDecision().orElse(null))
        .put("decidedAt", scaling.decidedAt().map(Object::toString).orElse(null))
        .put("hosts", new JsonObject(new TreeMap<String, Object>(scaling.hosts())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
