package dev.fnmesh.host.deadletters;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.TriggerSpec;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A trigger's dead letters over HTTP: {@code GET /api/triggers/{name}/deadletters} lists the last ones with
 * why each failed, and {@code POST /api/triggers/{name}/redrive} puts them back on the topic each was read
 * from once its function was fixed (the redrive Knative and Dapr users write by hand). Listing needs the
 * read grant, replaying the admin grant, like the rest of {@code /api/}.
 */
public final class DeadLetterEndpoint implements HttpSurface {

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 10_000;

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final Supplier<MeshConfig> mesh;

  /**
   * @param meters binds the clients that read and replay dead letters to the process's metrics while they are open
   * @param mesh the running mesh, null before the first one ran
   */
  public DeadLetterEndpoint(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters, Supplier<MeshConfig> mesh) {
    this.vertx = vertx;
    this.store = new DeadLetterStore(kafka, meters);
    this.mesh = mesh;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/triggers/:name/deadletters").handler(this::list);
    router.post("/api/triggers/:name/redrive").handler(this::replay);
  }

  @Override
  public String routes() {
    return "GET /api/triggers/{name}/deadletters, POST /api/triggers/{name}/redrive";
  }

  private void list(RoutingContext ctx) {
    TriggerSpec trigger = trigger(ctx);
    if (trigger == null) {
      return;
    }
    int limit;
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", String.valueOf(DEFAULT_LIMIT)));
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      problem(ctx, 400, "limit", "limit must be a number from 1 to " + MAX_LIMIT);
      return;
    }
    String topic = trigger.delivery().deadLetterTopic();
    vertx.executeBlocking(() -> store.last(topic, limit), false).onComplete(read -> {
      if (read.failed()) {
        problem(ctx, 503, "deadletters", "the dead letters of " + topic + " could not be read: " + read.cause().getMessage());
        return;
      }
      JsonArray letters = new JsonArray();
      read.result().forEach(record -> letters.add(describe(record)));
      json(ctx, 200, new JsonObject().put("trigger", trigger.name()).put("topic", topic).put("deadLetters", letters));
    });
  }

  private void replay(RoutingContext ctx) {
    TriggerSpec trigger = trigger(ctx);
    if (trigger == null) {
      return;
    }
    boolean dryRun = Boolean.parseBoolean(ctx.request().getParam("dryRun", "false"));
    String expression = ctx.request().getParam("filter");
    EventFilter filter;
    try {
      filter = expression == null || expression.isBlank() ? EventFilter.ACCEPT_ALL
          : EventFilter.compile(new FilterSpec.Sql(expression));
    } catch (IllegalArgumentException e) {
      problem(ctx, 400, "filter", e.getMessage());
      return;
    }
    String topic = trigger.delivery().deadLetterTopic();
    vertx.executeBlocking(() -> store.replay(trigger.name(), topic, trigger.topic(), filter, dryRun), false)
        .onComplete(done -> {
          if (done.failed()) {
            problem(ctx, 503, "deadletters", done.cause().getMessage());
            return;
          }
          DeadLetterStore.Replay replay = done.result();
          json(ctx, 200, new JsonObject().put("trigger", trigger.name()).put("from", topic)
              .put("to", topics(replay))
              .put("dryRun", dryRun).put("read", replay.read()).put("otherTriggers", replay.others())
              .put("matched", replay.matched()).put("replayed", replay.replayed()));
        });
  }

  private static JsonObject topics(DeadLetterStore.Replay replay) {
    JsonObject topics = new JsonObject();
    replay.topics().forEach(topics::put);
    return topics;
  }

  private TriggerSpec trigger(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    MeshConfig running = mesh.get();
    TriggerSpec trigger = running == null ? null : running.triggers().get(name);
    if (trigger == null) {
      problem(ctx, 404, "name", "no trigger '" + name + "' in the running mesh");
    }
    return trigger;
  }

  private static JsonObject describe(ConsumerRecord<byte[], byte[]> record) {
    JsonObject letter = new JsonObject().put("partition", record.partition()).put("offset", record.offset())
        .put("time", Instant.ofEpochMilli(record.timestamp()).toString());
    try {
      CloudEvent event = CloudEventRecords.fromRecord(record);
      return letter.put("id", event.getId()).put("type", event.getType()).put("source", event.getSource().toString())
          .put("errorCode", text(event.getExtension(DeadLetterFields.ERROR_CODE)))
          .put("error", text(event.getExtension(DeadLetterFields.ERROR)))
          .put("attempts", text(event.getExtension(DeadLetterFields.ATTEMPTS)))
          .put("origin", origin(event));
    } catch (RuntimeException notAnEvent) {
      return letter.put("errorCode", header(record, DeadLetterFields.HEADER_PREFIX + "errorcode")).put("error", header(record, DeadLetterFields.HEADER_PREFIX + "error"));
    }
  }

  // Split in three since; one topic/partition/offset string on dead letters written before.
  private static String origin(CloudEvent event) {
    Object topic = event.getExtension(DeadLetterFields.ORIGIN_TOPIC);
    return topic == null ? text(event.getExtension(DeadLetterFields.LEGACY_ORIGIN))
        : topic + "/" + event.getExtension(DeadLetterFields.ORIGIN_PARTITION) + "/"
            + event.getExtension(DeadLetterFields.ORIGIN_OFFSET);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void problem(RoutingContext ctx, int status, String field, String message) {
    ProblemResponses.write(ctx.response(), new EventProblem(status, field, message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
