package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A state topic of each test's own on the Kafka fixture, for the integration tests of the cluster: one
 * Vert.x and one publisher per test class, new cluster settings on a new topic and a new cluster key per
 * test, and what a test started here stopped after it, the last started first. Register it as a static
 * {@code @RegisterExtension}.
 */
final class StateTopic implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final Duration HOST_TIMEOUT = Duration.ofSeconds(5);

  private final String topicPrefix;
  private final Duration beatInterval;
  private final List<AutoCloseable> running = new ArrayList<>();
  private Vertx vertx;
  private EventPublisher publisher;
  private ClusterSettings settings;
  private StateSignatures signatures;

  /** @param topicPrefix what each test's topic is named after, so that a broker's topics tell their test */
  StateTopic(String topicPrefix, Duration beatInterval) {
    this.topicPrefix = topicPrefix;
    this.beatInterval = beatInterval;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    publisher = EventPublisher.create(vertx, kafka());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    publisher.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    settings = new ClusterSettings(KafkaFixture.uniqueTopic(topicPrefix), beatInterval, HOST_TIMEOUT);
    signatures = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "the test"));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    running.clear();
  }

  Vertx vertx() {
    return vertx;
  }

  EventPublisher publisher() {
    return publisher;
  }

  /** The settings of the running test, naming its own state topic. */
  ClusterSettings settings() {
    return settings;
  }

  /** The signatures of the running test's processes, which share one cluster key. */
  StateSignatures signatures() {
    return signatures;
  }

  /** Starts a reader and writer of the test's state topic that hands what it reads to {@code updates}. */
  StateLog startedLog(String clientId, StateUpdates updates) throws Exception {
    StateLog log = new StateLog(vertx, kafka(), settings, signatures, clientId, publisher,
        KafkaClientMeters.none(), updates::add);
    stopAfterTest(log);
    join(log.start());
    return log;
  }

  /** Has {@code running} closed after the test, before what was started earlier. */
  void stopAfterTest(AutoCloseable running) {
    this.running.add(running);
  }

  static KafkaSettings kafka() {
    return KafkaSettings.of(KafkaFixture.bootstrapServers());
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
