package dev.fnmesh.host.metrics;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;

import java.util.Optional;
import java.util.Properties;

/**
 * The meter registry of one fnmesh process, which {@code /metrics} serves: the JVM (memory, garbage
 * collection, threads, class loading), the process (CPU, uptime, open files), the Kafka clients, and what
 * the other parts register (Vert.x, the triggers). Histograms carry exemplars with the trace of the span
 * current where a value is recorded, when a span context is given.
 */
public final class ProcessMetrics implements AutoCloseable {

  // Micrometer's default writes exemplars on a histogram's _count too, which OpenMetrics 1.0 forbids (only
  // buckets and counters have them) and strict parsers refuse.
  private static final PrometheusConfig STRICT_OPENMETRICS = new PrometheusConfig() {
    @Override
    public String get(String key) {
      return null;
    }

    @Override
    public Properties prometheusProperties() {
      Properties properties = PrometheusConfig.super.prometheusProperties();
      properties.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
      return properties;
    }
  };

  private final PrometheusMeterRegistry registry;
  private final KafkaClientMeters kafkaClients;
  private final JvmGcMetrics gc;

  /**
   * A registry whose exemplars name the OpenTelemetry span current where a value is recorded, when the process
   * traces; without tracing there is never a span, so no value asks for one.
   */
  public static ProcessMetrics create(boolean traced) {
    return new ProcessMetrics(traced ? Optional.of(new CurrentSpanExemplars()) : Optional.empty());
  }

  /** @param exemplars where the trace and span of an exemplar come from; empty for no exemplars */
  public ProcessMetrics(Optional<SpanContext> exemplars) {
    registry = new PrometheusMeterRegistry(STRICT_OPENMETRICS, new PrometheusRegistry(), Clock.SYSTEM,
        exemplars.orElse(null));
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    kafkaClients = new KafkaClientMeters(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Binds the Kafka clients of this process to the registry. */
  public KafkaClientMeters kafkaClients() {
    return kafkaClients;
  }

  @Override
  public void close() {
    kafkaClients.close();
    gc.close();
    registry.close();
  }
}
