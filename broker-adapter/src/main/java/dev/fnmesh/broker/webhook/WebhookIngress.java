package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.dedup.EdgeDedup;
import dev.fnmesh.broker.tracing.IngressTracing;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.broker.webhook.signature.ReplayKey;
import dev.fnmesh.broker.webhook.signature.SignatureScheme;
import dev.fnmesh.broker.webhook.signature.Verdict;
import dev.fnmesh.mesh.DedupSettings;
import dev.fnmesh.mesh.WebhookSource;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /webhooks/{path}}: checks the request's signature, refuses a stale or replayed one, turns it into
 * one CloudEvent and answers 202 only once Kafka acknowledged it on the webhook's topic (or, with dedup, once the
 * request it repeats was); 503 when Kafka could
 * not take it.
 */
public final class WebhookIngress implements HttpSurface {

  public static final String ROUTE = "/webhooks/:path";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookIngress.class);

  private final WebhookNormalizer normalizer;
  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final long maxBodyBytes;
  private final BiFunction<String, CloudEvent, Optional<EventProblem>> validator;
  private final Clock clock;
  // Kept across reloads: replacing the webhooks must not make a captured request new again.
  private final ReplayGuard replays;
  // Kept across reloads too, for the same reason.
  private final EdgeDedup dedup = new EdgeDedup();
  private final Tracing tracing;
  // Swapped whole on reload; a request keeps the webhook it looked up even if a reload follows.
  private volatile Map<String, WebhookTrigger> byPath = Map.of();

  /**
   * @param maxBodyBytes larger bodies are refused with 413
   * @param validator called with the topic and the event before it is published; a problem it returns
   *     refuses the request with that problem
   */
  public WebhookIngress(WebhookNormalizer normalizer, EventPublisher publisher, TopicAdmin topics,
      long maxBodyBytes, BiFunction<String, CloudEvent, Optional<EventProblem>> validator) {
    this(normalizer, publisher, topics, maxBodyBytes, validator, Clock.systemUTC());
  }

  /** @param clock the time signed timestamps are judged against */
  public WebhookIngress(WebhookNormalizer normalizer, EventPublisher publisher, TopicAdmin topics,
      long maxBodyBytes, BiFunction<String, CloudEvent, Optional<EventProblem>> validator, Clock clock) {
    this(normalizer, publisher, topics, maxBodyBytes, validator, clock, Tracing.OFF);
  }

  /** @param tracing a server span per request and a producer span for its event, when on */
  public WebhookIngress(WebhookNormalizer normalizer, EventPublisher publisher, TopicAdmin topics,
      long maxBodyBytes, BiFunction<String, CloudEvent, Optional<EventProblem>> validator, Clock clock,
      Tracing tracing) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    this.normalizer = normalizer;
    this.publisher = publisher;
    this.topics = topics;
    this.maxBodyBytes = maxBodyBytes;
    this.validator = validator;
    this.clock = clock;
    this.replays = new ReplayGuard(clock, ReplayGuard.DEFAULT_CAPACITY);
    this.tracing = tracing;
  }


  @Override
  public void mount(Router router) {
    new IngressTracing(tracing).serve(router.post(ROUTE), "/webhooks/{path}")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::receive)
        .failureHandler(ProblemResponses.failureHandler(maxBodyBytes));
  }
  @Override
  public String routes() {
    return "POST /webhooks/{path}";
  }


  /**
   * Makes exactly these webhooks the ones served, atomically: a request sees either the old set or the new.
   *
   * @throws IllegalArgumentException when two webhooks share a path (nothing is replaced then)
   */
  public void replace(Collection<WebhookTrigger> webhooks) {
    Map<String, WebhookTrigger> next = new HashMap<>();
    for (WebhookTrigger webhook : webhooks) {
      WebhookTrigger clash = next.putIfAbsent(webhook.path(), webhook);
      if (clash != null) {
        throw new IllegalArgumentException("webhook path '" + webhook.path() + "' is used by triggers "
            + clash.spec().name() + " and " + webhook.spec().name() + "; each webhook needs its own path");
      }
    }
    byPath = Map.copyOf(next);
    LOG.info("webhooks replaced paths={}", byPath.keySet());
  }

  private void receive(RoutingContext ctx) {
    String path = ctx.pathParam("path");
    WebhookTrigger webhook = byPath.get(path);
    if (webhook == null) {
      ProblemResponses.write(ctx.response(), new EventProblem(404, "path",
          "no webhook trigger listens on " + WebhookNormalizer.defaultSource(path)));
      return;
    }
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    MultiMap headers = ctx.request().headers();
    Verdict verdict = verify(webhook, headers, body);
    if (verdict instanceof Verdict.Refused refused) {
      refuse(ctx, webhook, refused.problem());
      return;
    }
    // Only a request that was written stays remembered: a sender may retry one that was refused for
    // another reason, or that Kafka did not take.
    Optional<ReplayKey> admitted = ((Verdict.Genuine) verdict).replay();
    Runnable release = () -> admitted.ifPresent(key -> replays.forget(webhook.path(), key));
    if (answeredSlackUrlVerification(ctx, webhook, headers, body)) {
      return;
    }
    Normalized normalized = normalizer.normalize(webhook, headers, body);
    if (normalized instanceof Normalized.Refused refused) {
      release.run();
      refuse(ctx, webhook, refused.problem());
      return;
    }
    CloudEvent event = ((Normalized.Accepted) normalized).event();
    Optional<EventProblem> invalid = validator.apply(webhook.spec().topic(), event);
    if (invalid.isPresent()) {
      release.run();
      refuse(ctx, webhook, invalid.get());
      return;
    }
    publish(ctx, webhook, event, release);
  }

  /**
   * The webhook's signature check of the request; a genuine timestamped request is then admitted, refused
   * with 401 when it replays one admitted before and with 503 when too many are remembered already.
   */
  private Verdict verify(WebhookTrigger webhook, MultiMap headers, byte[] body) {
    Optional<SignatureScheme> scheme = webhook.scheme();
    if (scheme.isEmpty()) {
      return new Verdict.Genuine(Optional.empty());
    }
    Verdict verdict = scheme.get().verify(webhook.secret().orElseThrow(), headers, body, clock.instant());
    if (!(verdict instanceof Verdict.Genuine genuine) || genuine.replay().isEmpty()) {
      return verdict;
    }
    ReplayKey key = genuine.replay().get();
    return switch (replays.admit(webhook.path(), key)) {
      case FIRST -> verdict;
      case REPLAY -> Verdict.refused(key.header(), "this request was already received: its " + key.header()
          + " was accepted before, within the signature's tolerance; a replay is refused");
      case FULL -> new Verdict.Refused(new EventProblem(503, key.header(), "too many signed requests arrived "
          + "within the signature's tolerance to tell a replay apart; retry later"));
    };
  }

  /** Answers a signed Slack url_verification with its challenge; a handshake, not an event, so not written. */
  private static boolean answeredSlackUrlVerification(RoutingContext ctx, WebhookTrigger webhook, MultiMap headers,
      byte[] body) {
    if (webhook.provider().filter(Provider.SLACK::equals).isEmpty()) {
      return false;
    }
    Optional<String> challenge = SlackUrlVerification.challenge(headers, body);
    challenge.ifPresent(value -> ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
        .end(new JsonObject().put("challenge", value).toBuffer()));
    return challenge.isPresent();
  }

  private void publish(RoutingContext ctx, WebhookTrigger webhook, CloudEvent event, Runnable release) {
    String topic = webhook.spec().topic();
    Optional<DedupSettings> dedupSettings = webhook.spec().source() instanceof WebhookSource source
        ? source.dedup() : Optional.empty();
    EdgeDedup.Admission admission = dedupSettings
        .map(window -> dedup.admit("webhook/" + webhook.path(), window, List.of(event))).orElse(null);
    boolean duplicate = admission != null && admission.fresh().isEmpty();
    IngressTracing.Sends sends = duplicate ? null : IngressTracing.sends(ctx, topic, List.of(event), tracing);
    List<CloudEvent> events = sends == null ? List.of(event) : sends.events();
    Future<Void> write = duplicate ? Future.succeededFuture() : topics.ensureTopic(topic, webhook.spec().topicSettings())
        .compose(v -> publisher.publish(topic, events));
    if (sends != null) {
      write.onComplete(sends::end);
    }
    Future<Void> answered = admission == null ? write : admission.acknowledged(write);
    Context context = Vertx.currentContext();
    answered.onComplete(written -> onContext(context, () -> {
      if (written.succeeded()) {
        LOG.debug("webhook accepted trigger={} id={} type={} topic={} duplicate={}", webhook.spec().name(),
            event.getId(), event.getType(), topic, duplicate);
        JsonObject answer = new JsonObject().put("id", event.getId()).put("topic", topic);
        if (admission != null) {
          answer.put("duplicate", duplicate);
        }
        ctx.response().setStatusCode(202)
            .putHeader("content-type", "application/json")
            .end(answer.toBuffer());
      } else {
        release.run();
        ProblemResponses.writeNotWritten(ctx.response(), written.cause(),
            "the event of webhook trigger " + webhook.spec().name());
      }
    }));
  }

  // The answer is written on the request's own context: a duplicate's outcome may come from another event loop.
  private static void onContext(Context context, Runnable action) {
    if (context == null || Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static void refuse(RoutingContext ctx, WebhookTrigger webhook, EventProblem problem) {
    LOG.info("webhook refused trigger={} path={} status={} field={} reason={}", webhook.spec().name(), webhook.path(),
        problem.status(), problem.field(), problem.message());
    ProblemResponses.write(ctx.response(), problem);
  }
}
