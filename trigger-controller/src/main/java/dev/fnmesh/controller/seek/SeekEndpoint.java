package dev.fnmesh.controller.seek;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code POST /api/triggers/{name}/seek} with {@code {"timestamp": "…"}} or {@code {"offset": "earliest"|"latest"}}:
 * moves a Kafka trigger's consumer group on every partition, to replay what it handled or to skip what
 * waits, and answers the move per partition. Under {@code /api/}, a POST: the admin grant. A host of a
 * controller's mesh answers 409: the controller places the replicas, so it moves the offsets.
 */
public final class SeekEndpoint implements HttpSurface {

  private static final int MAX_BODY = 4096;
  private static final String FORM = "{\"timestamp\": \"2026-12-01T00:00:00Z\"} or {\"offset\": \"earliest\"|\"latest\"}";

  private final Supplier<MeshConfig> mesh;
  private final Optional<GroupSeek> seek;
  private final String elsewhere;
  // One seek at a time per trigger: a second would release the first one's hold half-way.
  private final Set<String> seeking = ConcurrentHashMap.newKeySet();

  /** @param mesh the running mesh, null before the first one ran */
  public SeekEndpoint(Supplier<MeshConfig> mesh, GroupSeek seek) {
    this(mesh, Optional.of(seek), "");
  }

  private SeekEndpoint(Supplier<MeshConfig> mesh, Optional<GroupSeek> seek, String elsewhere) {
    this.mesh = mesh;
    this.seek = seek;
    this.elsewhere = elsewhere;
  }

  /** The route of a process that does not place the replicas (a host): a trigger of the mesh answers 409 with {@code where}. */
  public static SeekEndpoint elsewhere(Supplier<MeshConfig> mesh, String where) {
    return new SeekEndpoint(mesh, Optional.empty(), where);
  }

  @Override
  public void mount(Router router) {
    router.post("/api/triggers/:name/seek").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::seek);
  }

  @Override
  public String routes() {
    return "POST /api/triggers/{name}/seek";
  }

  private void seek(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    MeshConfig running = mesh.get();
    TriggerSpec trigger = running == null ? null : running.triggers().get(name);
    if (trigger == null) {
      problem(ctx, 404, "name", "no trigger '" + name + "' in the running mesh");
      return;
    }
    if (!(trigger.source() instanceof KafkaSource)) {
      problem(ctx, 400, "name", "trigger '" + name + "' is no kafka trigger: only a kafka trigger's offsets can be"
          + " moved");
      return;
    }
    if (seek.isEmpty()) {
      problem(ctx, 409, "name", elsewhere);
      return;
    }
    StartFrom to;
    try {
      to = target(ctx);
    } catch (Refused refused) {
      problem(ctx, 400, refused.field, refused.getMessage());
      return;
    }
    if (!seeking.add(name)) {
      problem(ctx, 409, "name", "trigger '" + name + "' is being moved already; try again once that answered");
      return;
    }
    seek.get().seek(name, trigger.topic(), TriggerSpec.groupId(name), to).onComplete(done -> {
      seeking.remove(name);
      if (done.failed()) {
        // Busy: members kept; an IllegalArgumentException: this process does not scale the trigger (not selected).
        boolean conflict = done.cause() instanceof GroupSeek.GroupBusy || done.cause() instanceof IllegalArgumentException;
        problem(ctx, conflict ? 409 : 503, conflict ? "name" : "kafka", done.cause().getMessage());
        return;
      }
      JsonArray partitions = new JsonArray();
      done.result().forEach(move -> partitions.add(new JsonObject().put("partition", move.partition())
          .put("from", move.from().isPresent() ? move.from().getAsLong() : null).put("to", move.to())));
      ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
          .end(new JsonObject().put("trigger", name).put("topic", trigger.topic())
              .put("group", TriggerSpec.groupId(name)).put("to", to.text()).put("partitions", partitions).toBuffer());
    });
  }

  private static StartFrom target(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new Refused("body", "the body must be a JSON object: " + FORM);
    }
    if (body == null) {
      throw new Refused("body", "the body must be a JSON object: " + FORM);
    }
    for (String key : body.fieldNames()) {
      if (!key.equals("timestamp") && !key.equals("offset")) {
        throw new Refused(key, "unknown key '" + key + "': give " + FORM);
      }
    }
    if (body.containsKey("timestamp") == body.containsKey("offset")) {
      throw new Refused("body", "give exactly one of timestamp and offset: " + FORM);
    }
    if (body.containsKey("timestamp")) {
      Object time = body.getValue("timestamp");
      try {
        return StartFrom.at(StartFrom.time(String.valueOf(time)));
      } catch (IllegalArgumentException e) {
        throw new Refused("timestamp", e.getMessage());
      }
    }
    Object offset = body.getValue("offset");
    if ("earliest".equals(offset) || "latest".equals(offset)) {
      return StartFrom.fromYaml((String) offset);
    }
    throw new Refused("offset", "must be earliest or latest, got " + (offset instanceof String ? "\"" + offset + "\""
        : String.valueOf(offset)));
  }

  private static final class Refused extends RuntimeException {
    private final String field;

    Refused(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  private static void problem(RoutingContext ctx, int status, String field, String message) {
    ProblemResponses.write(ctx.response(), new EventProblem(status, field, message));
  }
}
