package dev.fnmesh.host.tail;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.TriggerSpec;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /api/topics/{topic}/events}: the events of a topic the mesh names (a trigger's topic or reply
 * topic, a topic of {@code topics:}) as server-sent events, one structured CloudEvent per {@code data:} line,
 * from now on or from the beginning, optionally filtered with CESQL. fnmesh's own topics are not offered.
 */
public final class TailEndpoint implements HttpSurface {

  /** The most clients following topics at once: each holds a consumer and a thread. */
  public static final int MAX_FOLLOWERS = 16;

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final KafkaClientMeters meters;
  private final Supplier<MeshConfig> mesh;
  private final int maxFollowers;
  // Requests arrive on every event loop; a count is all they share.
  private final AtomicInteger followers = new AtomicInteger();

  /**
   * @param meters binds each tail's consumer to the process's metrics while it is open
   * @param mesh the running mesh, null before the first one ran
   */
  public TailEndpoint(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters, Supplier<MeshConfig> mesh) {
    this(vertx, kafka, meters, mesh, MAX_FOLLOWERS);
  }

  TailEndpoint(Vertx vertx, KafkaSettings kafka, KafkaClientMeters meters, Supplier<MeshConfig> mesh,
      int maxFollowers) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.meters = meters;
    this.mesh = mesh;
    this.maxFollowers = maxFollowers;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/topics/:topic/events").handler(this::tail);
  }

  @Override
  public String routes() {
    return "GET /api/topics/{topic}/events";
  }

  private void tail(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    Set<String> named = named(mesh.get());
    if (!named.contains(topic)) {
      problem(ctx, 404, "topic", "no topic '" + topic + "' is named in the running mesh; named: " + String.join(", ", named));
      return;
    }
    String expression = ctx.request().getParam("filter");
    EventFilter filter;
    try {
      filter = expression == null || expression.isBlank() ? EventFilter.ACCEPT_ALL
          : EventFilter.compile(new FilterSpec.Sql(expression));
    } catch (IllegalArgumentException e) {
      problem(ctx, 400, "filter", e.getMessage());
      return;
    }
    if (followers.incrementAndGet() > maxFollowers) {
      followers.decrementAndGet();
      ctx.response().putHeader("Retry-After", "5");
      problem(ctx, 503, "topic", maxFollowers + " clients follow topics already, the most this process serves at once");
      return;
    }
    ctx.response().setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    // A comment first, so that the client sees the stream open before the first event.
    ctx.response().write(": tail of " + topic + "\n\n");
    TopicTail tail = new TopicTail(kafka, meters, topic, Boolean.parseBoolean(ctx.request().getParam("fromBeginning", "false")),
        filter, vertx.getOrCreateContext(), ctx.response());
    ctx.response().closeHandler(closed -> tail.stop());
    Thread thread = new Thread(() -> {
      try {
        tail.run();
      } finally {
        followers.decrementAndGet();
      }
    }, "fnmesh-tail-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private static Set<String> named(MeshConfig running) {
    Set<String> topics = new TreeSet<>();
    if (running != null) {
      for (TriggerSpec trigger : running.triggers().values()) {
        if (!trigger.topic().startsWith("fnmesh.")) {
          topics.add(trigger.topic());
        }
        topics.addAll(trigger.replyTopics());
      }
      topics.addAll(running.topics().keySet());
    }
    return topics;
  }

  private static void problem(RoutingContext ctx, int status, String field, String message) {
    ProblemResponses.write(ctx.response(), new EventProblem(status, field, message));
  }
}
