package dev.fnmesh.broker;

import dev.fnmesh.broker.dedup.EdgeDedup;
import dev.fnmesh.broker.tracing.IngressTracing;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.mesh.TopicSettings;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /topics/{topic}}: accepts CloudEvents in any HTTP mode for a topic the running mesh declares
 * and answers 202 only once Kafka acknowledged every one of them (a batch in one transaction: all or none);
 * 404 for any other topic, 503 with {@code Retry-After} when Kafka could not take them. On a topic with
 * {@code dedup:}, an event whose source and id were accepted within the window is not written again.
 */
public final class TopicIngress implements HttpSurface {

  private final HttpEventDecoder decoder;
  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final DeclaredTopics declared;
  private final IngressSettings settings;
  private final BiFunction<String, CloudEvent, Optional<EventProblem>> validator;
  private final Tracing tracing;
  // Kept for the process's life: a reload must not make an event new again.
  private final EdgeDedup dedup = new EdgeDedup();

  /**
   * @param declared the topics events may be published to; a topic missing there is neither created nor written
   * @param validator called for every event with its topic before anything is published; a problem it
   *     returns refuses the whole request
   */
  public TopicIngress(HttpEventDecoder decoder, EventPublisher publisher, TopicAdmin topics, DeclaredTopics declared,
      IngressSettings settings, BiFunction<String, CloudEvent, Optional<EventProblem>> validator) {
    this(decoder, publisher, topics, declared, settings, validator, Tracing.OFF);
  }

  /** @param tracing a server span per request and a producer span per event, when on */
  public TopicIngress(HttpEventDecoder decoder, EventPublisher publisher, TopicAdmin topics, DeclaredTopics declared,
      IngressSettings settings, BiFunction<String, CloudEvent, Optional<EventProblem>> validator, Tracing tracing) {
    this.tracing = tracing;
    this.decoder = decoder;
    this.publisher = publisher;
    this.topics = topics;
    this.declared = declared;
    this.settings = settings;
    this.validator = validator;
  }

  @Override
  public void mount(Router router) {
    new IngressTracing(tracing).serve(router.post("/topics/:topic"), "/topics/{topic}")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(this::publish)
        .failureHandler(ProblemResponses.failureHandler(settings.maxBodyBytes()));
  }
  @Override
  public String routes() {
    return "POST /topics/{topic}";
  }


  // Whether the request's media type is the JSON batch format, without splitting or lower-casing the header.
  private static boolean isBatchMediaType(String contentType) {
    if (contentType == null) {
      return false;
    }
    int start = 0;
    while (start < contentType.length() && Character.isWhitespace(contentType.charAt(start))) {
      start++;
    }
    int end = start + HttpEventDecoder.BATCH_JSON.length();
    if (!contentType.regionMatches(true, start, HttpEventDecoder.BATCH_JSON, 0, HttpEventDecoder.BATCH_JSON.length())) {
      return false;
    }
    while (end < contentType.length() && Character.isWhitespace(contentType.charAt(end))) {
      end++;
    }
    return end == contentType.length() || contentType.charAt(end) == ';';
  }

  private void publish(RoutingContext ctx) {
    String topic = ctx.pathParam("topic");
    String badName = TopicAdmin.checkName(topic);
    if (badName != null) {
      ProblemResponses.write(ctx.response(), EventProblem.badRequest("topic", badName));
      return;
    }
    DeclaredTopics.Lookup lookup = declared.lookup(topic);
    if (lookup instanceof DeclaredTopics.Lookup.Refused refused) {
      ProblemResponses.write(ctx.response(), refused.problem());
      return;
    }
    TopicSettings creation = ((DeclaredTopics.Lookup.Publishable) lookup).settings();
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    DecodedEvents decoded = decoder.decode(ctx.request().headers(), body);
    if (decoded instanceof DecodedEvents.Refused undecodable) {
      ProblemResponses.write(ctx.response(), undecodable.problem());
      return;
    }
    List<CloudEvent> events = ((DecodedEvents.Accepted) decoded).events();
    if (events.size() > settings.maxBatchEvents()) {
      ProblemResponses.write(ctx.response(), new EventProblem(413, "body", "a batch holds at most "
          + settings.maxBatchEvents() + " events, got " + events.size()));
      return;
    }
    boolean batch = events.size() != 1 || isBatchMediaType(ctx.request().getHeader("content-type"));
    for (int i = 0; i < events.size(); i++) {
      Optional<EventProblem> invalid = validator.apply(topic, events.get(i));
      if (invalid.isPresent()) {
        ProblemResponses.write(ctx.response(), batch ? invalid.get().inBatchElement(i) : invalid.get());
        return;
      }
    }
    EdgeDedup.Admission admission = creation.dedup().map(window -> dedup.admit("topic/" + topic, window, events))
        .orElse(null);
    List<CloudEvent> fresh = admission == null ? events : admission.fresh();
    Future<Void> ready = settings.createMissingTopics()
        ? topics.ensureTopic(topic, creation).<Void>mapEmpty()
        : Future.succeededFuture();
    IngressTracing.Sends sends = fresh.isEmpty() ? null : IngressTracing.sends(ctx, topic, fresh, tracing);
    List<CloudEvent> written = sends == null ? fresh : sends.events();
    Future<Void> write = fresh.isEmpty() ? Future.succeededFuture() : ready.compose(v -> publisher.publish(topic, written));
    if (sends != null) {
      write.onComplete(sends::end);
    }
    Future<Void> answered = admission == null ? write : admission.acknowledged(write);
    Context context = Vertx.currentContext();
    answered.onComplete(outcome -> onContext(context, () -> {
      if (outcome.succeeded()) {
        ctx.response().setStatusCode(202)
            .putHeader("content-type", "application/json")
            .end(accepted(topic, events.size(), admission));
      } else {
        ProblemResponses.writeNotWritten(ctx.response(), outcome.cause(),
            batch ? "the batch of " + events.size() + " events" : "the event");
      }
    }));
  }

  /**
   * {@code {"topic":"orders","accepted":1}}, plus the duplicates on a topic with dedup. Written by hand: the
   * topic name was checked to hold only {@code a-z A-Z 0-9 . _ -}, which JSON needs no escape for.
   */
  private static Buffer accepted(String topic, int events, EdgeDedup.Admission admission) {
    StringBuilder answer = new StringBuilder(40 + topic.length()).append("{\"topic\":\"").append(topic)
        .append("\",\"accepted\":").append(events);
    if (admission != null) {
      answer.append(",\"duplicates\":").append(admission.duplicates())
          .append(",\"duplicate\":").append(admission.duplicates() == events);
    }
    return Buffer.buffer(answer.append('}').toString());
  }

  // The answer is written on the request's own context: a duplicate's outcome may come from another event loop.
  private static void onContext(Context context, Runnable action) {
    if (context == null || Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
