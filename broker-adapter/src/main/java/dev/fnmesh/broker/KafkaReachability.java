package dev.fnmesh.broker;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;

/**
 * Whether Kafka answered lately, for a process's readiness: a cheap {@code describeCluster} through an admin
 * client of its own, one after the other with a pause between, each bounded by a timeout. The admin client's
 * calls are asynchronous, so no thread waits; the answer is read from any thread.
 */
public final class KafkaReachability {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);
  /** Between two checks: how soon a lost Kafka is noticed, together with the timeout. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  /** How long a check waits for an answer: long enough that a busy broker is not taken for a lost one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String bootstrapServers;
  private final Admin admin;
  private final KafkaClientMeters.Binding adminMeters;
  private final Duration interval;
  private final Duration timeout;
  /** Where the checks run, one at a time. */
  private final Context context;
  private volatile boolean reachable;
  /** Changed on the checks' context only. */
  private boolean closed;
  private long timer = -1;

  public KafkaReachability(Vertx vertx, KafkaSettings settings, Duration interval, Duration timeout) {
    this(vertx, settings, interval, timeout, KafkaClientMeters.none());
  }

  /** @param meters binds the admin client that checks to the process's metrics until it is closed */
  public KafkaReachability(Vertx vertx, KafkaSettings settings, Duration interval, Duration timeout,
      KafkaClientMeters meters) {
    this.vertx = vertx;
    this.bootstrapServers = settings.bootstrapServers();
    this.admin = Admin.create(settings.adminConfig("fnmesh-reachability-" + UUID.randomUUID()));
    this.adminMeters = meters.bind(admin);
    this.interval = interval;
    this.timeout = timeout;
    this.context = vertx.getOrCreateContext();
  }

  /** Whether the last check got an answer: false before the first one did. */
  public boolean reachable() {
    return reachable;
  }

  /**
   * Starts checking.
   *
   * @return a future completed once the first check has an outcome, whichever it is; it never fails
   */
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    context.runOnContext(v -> check(first));
    return first.future();
  }

  private void check(Promise<Void> checked) {
    var described = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
        .nodes().toCompletionStage();
    Future.fromCompletionStage(described, context).onComplete(answer -> {
      checked.tryComplete();
      if (closed) {
        // Closing the admin client fails the check in flight: no news about Kafka.
        return;
      }
      boolean now = answer.succeeded() && !answer.result().isEmpty();
      if (now != reachable) {
        if (now) {
          LOG.info("kafka reachable bootstrapServers={}", bootstrapServers);
        } else {
          LOG.warn("kafka unreachable bootstrapServers={} cause={}", bootstrapServers,
              answer.failed() ? answer.cause().toString() : "no broker listed");
        }
      }
      reachable = now;
      timer = vertx.setTimer(interval.toMillis(), id -> check(Promise.promise()));
    });
  }

  /** Stops checking and closes the admin client on a worker thread. */
  public Future<Void> close() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      vertx.cancelTimer(timer);
      stopped.complete();
    });
    return stopped.future().compose(v -> vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(5));
      adminMeters.close();
      return null;
    }, false));
  }
}
