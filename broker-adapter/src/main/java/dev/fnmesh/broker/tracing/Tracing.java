package dev.fnmesh.broker.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The process's OpenTelemetry traces, configured the SDK's standard way ({@code OTEL_*} environment variables
 * or {@code otel.*} system properties) and on only when an exporter is named: an OTLP endpoint, or
 * {@code OTEL_TRACES_EXPORTER} other than {@code none}, and {@code OTEL_SDK_DISABLED} not {@code true}. Off,
 * it is the no-op OpenTelemetry and the parts that trace ask {@link #on()} once, when they are built, so an
 * event costs no more than a null check. The context always travels in W3C Trace Context form, whatever
 * {@code OTEL_PROPAGATORS} says: it is what HTTP callers, functions and the CloudEvents extension speak.
 */
public final class Tracing implements AutoCloseable {

  /** Traces nothing. */
  public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null);

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  private static final String SCOPE = "dev.fnmesh";
  private static final long SHUTDOWN_SECONDS = 10;
  private static final String HTTP_PROTOBUF = "http/protobuf";

  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /**
   * The tracing this process's environment and system properties ask for.
   *
   * @param defaultServiceName the {@code service.name} unless {@code OTEL_SERVICE_NAME} or a {@code service.name}
   *     in {@code OTEL_RESOURCE_ATTRIBUTES} names one, e.g. {@code fnmesh-host}
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException when a setting is invalid, naming it
   * @throws IllegalArgumentException when the OTLP protocol asked for is not {@code http/protobuf}
   */
  public static Tracing fromEnvironment(String defaultServiceName) {
    return configure(defaultServiceName, System.getenv(), System.getProperties());
  }

  /** Tracing with an SDK built by hand, e.g. exporting to memory in a test; closing it shuts the SDK down. */
  public static Tracing of(OpenTelemetrySdk sdk) {
    return new Tracing(sdk, sdk);
  }

  static Tracing configure(String defaultServiceName, Map<String, String> env, Properties properties) {
    if (!wanted(env, properties)) {
      return OFF;
    }
    String protocol = setting("otel.exporter.otlp.traces.protocol", env, properties,
        setting("otel.exporter.otlp.protocol", env, properties, HTTP_PROTOBUF));
    if (!protocol.equals(HTTP_PROTOBUF)) {
      throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL is '" + protocol + "': fnmesh exports traces"
          + " over OTLP/HTTP only; set it to http/protobuf (a collector listens on port 4318 for it) or unset it");
    }
    Map<String, String> settings = new HashMap<>();
    // Traces only: metrics are /metrics' concern, logs the log files'. OTLP over HTTP, as the OTLP spec's
    // default, rather than the Java SDK's gRPC, whose senders would bring a gRPC or OkHttp stack along.
    settings.put("otel.metrics.exporter", "none");
    settings.put("otel.logs.exporter", "none");
    settings.put("otel.exporter.otlp.protocol", HTTP_PROTOBUF);
    // The SDK reads the real environment and system properties too, over these: they are the same but in tests.
    env.forEach((key, value) -> {
      if (key.startsWith("OTEL_")) {
        settings.put(key.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    properties.stringPropertyNames().stream().filter(key -> key.startsWith("otel."))
        .forEach(key -> settings.put(key, properties.getProperty(key)));
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> settings)
        .addPropertiesCustomizer(config -> config.getString("otel.service.name") == null
            && !config.getMap("otel.resource.attributes").containsKey("service.name")
            ? Map.of("otel.service.name", defaultServiceName) : Map.of())
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    LOG.info("tracing on exporter={} defaultService={}", setting("otel.traces.exporter", env, properties, "otlp"),
        defaultServiceName);
    return new Tracing(sdk, sdk);
  }

  /**
   * Whether the settings name a trace exporter: {@code otel.exporter.otlp.endpoint},
   * {@code otel.exporter.otlp.traces.endpoint} or {@code otel.traces.exporter} other than {@code none}; an
   * explicit {@code otel.traces.exporter=none} or {@code otel.sdk.disabled=true} turns tracing off regardless.
   * A system property wins over its environment variable, as in the SDK.
   */
  static boolean wanted(Map<String, String> env, Properties properties) {
    if ("true".equalsIgnoreCase(setting("otel.sdk.disabled", env, properties, "false"))) {
      return false;
    }
    String exporter = setting("otel.traces.exporter", env, properties, "");
    if (!exporter.isEmpty()) {
      return !exporter.equalsIgnoreCase("none");
    }
    return !setting("otel.exporter.otlp.endpoint", env, properties, "").isEmpty()
        || !setting("otel.exporter.otlp.traces.endpoint", env, properties, "").isEmpty();
  }

  private static String setting(String property, Map<String, String> env, Properties properties, String otherwise) {
    String value = properties.getProperty(property);
    if (value == null) {
      value = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return value == null ? otherwise : value.trim();
  }

  /** Whether spans are recorded and exported; when not, nothing should be asked of this per event. */
  public boolean on() {
    return sdk != null;
  }

  public Tracer tracer() {
    return tracer;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** W3C Trace Context: {@code traceparent} and {@code tracestate}. */
  public static TextMapPropagator propagator() {
    return W3CTraceContextPropagator.getInstance();
  }

  /** Ends the SDK, exporting the spans still buffered; waits at most 10 s. Blocking: not on an event loop. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    }
  }
}
