package dev.fnmesh.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Publishes the metrics of the Kafka clients fnmesh makes ({@code kafka_producer_*}, {@code kafka_consumer_*},
 * {@code kafka_admin_client_*}) through Micrometer's {@link KafkaClientMetrics}: the publisher's producers, every
 * trigger replica's consumer, the state topic's and the cron schedule's clients, the tails, the dead-letter
 * readers and replays, and the admin clients. Each binding is closed with its client, which removes its
 * series. The bindings share one thread that looks for metrics a client adds later (per-topic ones), instead
 * of a thread each.
 */
public final class KafkaClientMeters implements AutoCloseable {

  private static final KafkaClientMeters NONE = new KafkaClientMeters(null, null);
  private static final Binding UNBOUND = () -> { };

  // Both null for NONE.
  private final MeterRegistry registry;
  private final ScheduledExecutorService refresh;

  public KafkaClientMeters(MeterRegistry registry) {
    this(registry, Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "fnmesh-kafka-meters");
      thread.setDaemon(true);
      return thread;
    }));
  }

  private KafkaClientMeters(MeterRegistry registry, ScheduledExecutorService refresh) {
    this.registry = registry;
    this.refresh = refresh;
  }

  /** A client's series in the registry; closing it removes them, and never fails. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /** Binds nothing: for clients made outside a process that serves {@code /metrics} (tests, tools). */
  public static KafkaClientMeters none() {
    return NONE;
  }

  /** @return the binding, to close once the producer is closed */
  public Binding bind(Producer<?, ?> producer) {
    if (registry == null) {
      return UNBOUND;
    }
    KafkaClientMetrics metrics = new KafkaClientMetrics(producer, Tags.empty(), refresh);
    metrics.bindTo(registry);
    return metrics::close;
  }

  /** @return the binding, to close once the consumer is closed */
  public Binding bind(Consumer<?, ?> consumer) {
    if (registry == null) {
      return UNBOUND;
    }
    KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.empty(), refresh);
    metrics.bindTo(registry);
    return metrics::close;
  }

  /** @return the binding, to close once the admin client is closed */
  public Binding bind(Admin admin) {
    // Micrometer reads the metrics of Kafka's own AdminClient, which every Admin.create makes.
    if (registry == null || !(admin instanceof AdminClient client)) {
      return UNBOUND;
    }
    KafkaClientMetrics metrics = new KafkaClientMetrics(client, Tags.empty(), refresh);
    metrics.bindTo(registry);
    return metrics::close;
  }

  /** Stops looking for new client metrics; the bindings of clients still open keep their series. */
  @Override
  public void close() {
    if (refresh != null) {
      refresh.shutdownNow();
    }
  }
}
